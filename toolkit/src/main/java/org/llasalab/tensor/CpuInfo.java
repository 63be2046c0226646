package org.llasalab.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jdk.incubator.vector.FloatVector;

/**
 * What a benchmark says about the CPU it ran on: the model name (Linux {@code /proc/cpuinfo}, else the
 * architecture), the vector width the kernels use (the Vector API's preferred species, which follows the
 * CPU and {@code -XX:MaxVectorSize} / {@code -XX:UseAVX}) and the instruction-set extensions that
 * decide it.
 *
 * @param model      CPU model name
 * @param vectorBits bits of the vectors the kernels compute with
 * @param features   the relevant extensions present (avx2, fma, avx512f, avx512bw, avx512_bf16, ...)
 */
public record CpuInfo(String model, int vectorBits, List<String> features) {
    private static final List<String> RELEVANT = List.of("avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl",
            "avx512_vnni", "avx512_bf16", "amx_bf16", "asimd", "sve");

    public static CpuInfo detect() {
        String model = System.getProperty("os.arch");
        List<String> features = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (key.equals("model name") && model.equals(System.getProperty("os.arch"))) model = value;
                if ((key.equals("flags") || key.equals("Features")) && features.isEmpty()) {
                    Set<String> flags = Set.of(value.split("\\s+"));
                    for (String f : RELEVANT) if (flags.contains(f)) features.add(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture and the vector width still tell the kernels' shape
        }
        return new CpuInfo(model, FloatVector.SPECIES_PREFERRED.vectorBitSize(), List.copyOf(features));
    }

    /** E.g. {@code 512-bit vectors (16 f32 lanes); avx2 fma avx512f avx512_bf16}. */
    public String vectors() {
        return vectorBits + "-bit vectors (" + vectorBits / 32 + " f32 lanes)"
                + (features.isEmpty() ? "" : "; " + String.join(" ", features));
    }
}
