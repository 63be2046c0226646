package org.llasalab.cli.lm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.io.FloatConversions;
import org.llasalab.tensor.BF16Tensor;
import org.llasalab.tensor.CpuInfo;
import org.llasalab.tensor.MatMul;
import org.llasalab.tensor.MatMulPeak;
import org.llasalab.tensor.MemoryBandwidth;
import org.llasalab.tensor.PackedBF16Tensor;
import org.llasalab.tensor.PackedF32Tensor;
import org.llasalab.tensor.Parallel;
import org.llasalab.tensor.Q8Tensor;
import org.llasalab.tensor.WeightMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llasa bench matmul}: one weight format's matrix product alone, on a random matrix either small
 * enough for the caches (what the kernel computes) or far larger (what it streams), against the read
 * bandwidth and the register-only FMA rate measured in the same run. Where {@code bench lm} shows the
 * whole decode step, this shows how much of it is the kernel.
 */
@Command(name = "matmul", mixinStandardHelpOptions = true,
        description = {"One weight format's matrix product alone: GFLOP/s and weight GB/s on a cache-resident and",
                "a memory-sized random matrix, against the read bandwidth and the FMA rate of the same run."})
public final class BenchMatmulCommand implements Callable<Integer>, CliCommand {
    @Option(names = "--dtype", defaultValue = "bf16", description = "bf16 (panels), bf16-rows (row-major, as read from a file mapping), f32 (panels) or q8 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--cols", defaultValue = "2048", description = "Columns (the model width; default: ${DEFAULT-VALUE}).")
    int cols;

    @Option(names = "--batch", split = ",", defaultValue = "1,16", description = "Activation rows (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--memory-mib", defaultValue = "256", description = "Size of the memory-sized matrix in bf16 MiB (default: ${DEFAULT-VALUE}).")
    int memoryMib;

    @Option(names = "--threads", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--bandwidth-mib", defaultValue = "512", description = "Buffer for the bandwidth probe in MiB (default: ${DEFAULT-VALUE}).")
    int bandwidthMib;

    @Option(names = "--warmup-ms", defaultValue = "1000", description = "Least warm-up per measurement, until the JIT has compiled the kernel (default: ${DEFAULT-VALUE}).")
    long warmupMs;

    @Override
    public String group() {
        return "bench";
    }

    @Override
    public Integer call() {
        if (cols < 1 || memoryMib < 1 || bandwidthMib < 1 || warmupMs < 0) {
            throw new IllegalArgumentException("--cols, --memory-mib and --bandwidth-mib must be >= 1, --warmup-ms >= 0");
        }
        for (int b : batches) if (b < 1) throw new IllegalArgumentException("batch sizes must be >= 1");
        if (!List.of("bf16", "bf16-rows", "f32", "q8").contains(dtype)) {
            throw new IllegalArgumentException("unknown --dtype '" + dtype + "' (bf16, bf16-rows, f32 or q8)");
        }
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        CpuInfo cpu = CpuInfo.detect();
        try (Parallel pool = new Parallel(nThreads); Arena arena = Arena.ofShared();
             MatMulPeak peak = new MatMulPeak(pool, cols)) {
            int cacheRows = Math.max(64, (256 << 10) / (2 * cols)) / 64 * 64; // 256 KiB of bf16 a core at most
            int memoryRows = (int) Math.max(64, ((long) memoryMib << 20) / (2L * cols) / 64 * 64);
            double bandwidth = MemoryBandwidth.measure(pool, (long) bandwidthMib << 20, 4);
            double fma = peak.fmaRate(5);
            System.out.printf("llasa bench matmul: %s, %d columns, %d threads%n", dtype, cols, nThreads);
            System.out.printf("cpu: %s, %s%n", cpu.model(), cpu.vectors());
            System.out.printf("read bandwidth %.1f GB/s, FMA rate %.1f GFLOP/s (same run)%n", bandwidth / 1e9, fma / 1e9);
            System.out.printf("%-8s %6s %6s %10s %10s %12s %10s%n", "matrix", "rows", "batch", "GFLOP/s", "of FMA", "weight GB/s", "of bandw.");
            for (int rows : new int[] {cacheRows * nThreads, memoryRows}) {
                WeightMatrix w = matrix(rows, arena, pool);
                for (int n : batches) {
                    double flops = measure(pool, w, n);
                    double bytes = flops / (2.0 * n) * w.byteSize() / ((double) w.rows() * w.cols());
                    System.out.printf("%-8s %6d %6d %10.1f %9.1f%% %12.1f %9.1f%%%n", rows == memoryRows ? "memory" : "cache",
                            rows, n, flops / 1e9, 100 * flops / fma, bytes / 1e9, 100 * bytes / bandwidth);
                }
            }
        }
        return 0;
    }

    private WeightMatrix matrix(int rows, Arena arena, Parallel pool) {
        MemorySegment bf = arena.allocate(2L * rows * cols, 4096);
        SplittableRandom r = new SplittableRandom(1);
        for (long i = 0; i < (long) rows * cols; i++) {
            bf.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, FloatConversions.floatToBf16((float) (r.nextDouble() * 2 - 1)));
        }
        BF16Tensor rowMajor = new BF16Tensor(bf, rows, cols);
        return switch (dtype) {
            case "bf16" -> PackedBF16Tensor.pack(bf, rows, cols, arena, pool);
            case "bf16-rows" -> rowMajor;
            case "f32" -> PackedF32Tensor.pack(rowMajor, arena, pool);
            case "q8" -> Q8Tensor.quantize(rowMajor, arena, pool);
            default -> throw new IllegalStateException(dtype); // checked in call()
        };
    }

    /**
     * Best FLOP/s over 5 passes of at least 100 ms, after warm-up passes until the JIT has compiled the
     * kernels (until 3 passes in a row are no more than 5% faster than the best before, {@code --warmup-ms}
     * at least).
     */
    private double measure(Parallel pool, WeightMatrix w, int n) {
        float[] x = new float[n * w.cols()];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        float[] out = new float[n * w.rows()];
        long warmStart = System.nanoTime(), pass = 100_000_000L;
        double best = MatMulPeak.flopRate(pool, w, x, n, out, pass);
        // warm up until 3 passes in a row gain under 5% (the JIT may take seconds to compile a large tile)
        for (int flat = 0; (flat < 3 || System.nanoTime() - warmStart < warmupMs * 1_000_000L)
                && System.nanoTime() - warmStart < 30_000_000_000L; ) {
            double rate = MatMulPeak.flopRate(pool, w, x, n, out, pass);
            flat = rate > 1.05 * best ? 0 : flat + 1;
            best = Math.max(best, rate);
        }
        best = 0;
        for (int p = 0; p < 5; p++) best = Math.max(best, MatMulPeak.flopRate(pool, w, x, n, out, pass));
        if (Float.isNaN(out[0])) throw new IllegalStateException("NaN in the product");
        return best;
    }
}
