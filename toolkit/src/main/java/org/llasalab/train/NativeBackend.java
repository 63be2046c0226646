package org.llasalab.train;

/**
 * Chooses which native build of ND4J ({@code org.nd4j:nd4j-native} classifier) the process loads. Must run
 * before the first ND4J call: JavaCPP reads the platform extension once, when it loads the library.
 */
public final class NativeBackend {
    /** The build measured fastest for training here (see the report of {@code llasa bench train}). */
    public static final String DEFAULT_BUILD = "avx2";
    static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";

    private NativeBackend() {}

    /** The JavaCPP platform extension for a build name ({@code generic}, {@code avx2}, {@code onednn-avx2}). */
    public static String extension(String build) {
        return switch (build) {
            case "generic" -> "";
            case "avx2" -> "-avx2";
            case "onednn-avx2" -> "-onednn-avx2";
            default -> throw new IllegalArgumentException("unknown ND4J native build '" + build
                    + "' (known: generic, avx2, onednn-avx2)");
        };
    }

    /**
     * Selects {@code build} unless the JVM was started with the extension property set, and sets the OpenMP
     * thread count of the native backend. Returns the build in effect.
     */
    public static String select(String build, int threads) {
        String explicit = System.getProperty(PROPERTY);
        if (explicit == null) System.setProperty(PROPERTY, extension(build));
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(threads);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        return explicit == null ? build : "extension '" + explicit + "'";
    }
}
