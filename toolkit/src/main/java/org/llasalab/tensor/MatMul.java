package org.llasalab.tensor;

/**
 * Parallel matrix products {@code out[b][r] = W[r] . x[b]} over a {@link Parallel} pool: output
 * rows are cut into blocks handed to the workers, so each weight row is streamed from memory once
 * per call whatever the number of activation rows.
 */
public final class MatMul {
    /** One product of a call: rows {@code [from, to)} of {@code w} into {@code out} (row stride {@code outStride}). */
    public record Job(WeightMatrix w, float[] out, int outStride, int from, int to) {
        public static Job all(WeightMatrix w, float[] out) {
            return new Job(w, out, w.rows(), 0, w.rows());
        }
    }

    private MatMul() {}

    /** {@code out[b * w.rows() + r] = W[r] . x[b]} for all rows. */
    public static void run(Parallel pool, WeightMatrix w, float[] x, int n, float[] out) {
        run(pool, x, n, Job.all(w, out));
    }

    /** Runs several products that share the activation rows {@code x} (n rows) in one parallel pass. */
    public static void run(Parallel pool, float[] x, int n, Job... jobs) {
        int blocks = 0;
        int[] firstBlock = new int[jobs.length + 1];
        long totalRows = 0;
        int granule = 4;
        for (Job j : jobs) {
            totalRows += j.to() - j.from();
            granule = Math.max(granule, j.w().rowBlock());
        }
        // about 8 blocks per worker, cut at multiples of the formats' row blocks (counted from row 0)
        int target = (int) Math.max(granule, (totalRows / (8L * pool.threads()) + granule - 1) / granule * granule);
        int[] firstCut = new int[jobs.length];
        for (int i = 0; i < jobs.length; i++) {
            Job j = jobs[i];
            if (j.w().cols() * n > x.length) throw new IllegalArgumentException("activation array too small");
            firstCut[i] = j.from() / target;
            firstBlock[i] = blocks;
            blocks += (j.to() + target - 1) / target - firstCut[i];
        }
        firstBlock[jobs.length] = blocks;
        // the activations in each format's order, once per call (jobs of one format and width share them)
        float[][] arranged = new float[jobs.length][];
        for (int i = 0; i < jobs.length; i++) {
            WeightMatrix w = jobs[i].w();
            WeightMatrix prev = i == 0 ? null : jobs[i - 1].w();
            if (prev != null && prev.getClass() == w.getClass() && prev.cols() == w.cols()) {
                arranged[i] = arranged[i - 1];
            } else {
                arranged[i] = w.arrange(x, n, w.arranges() ? new float[n * w.cols()] : null);
            }
        }
        pool.forEach(blocks, (task, worker) -> {
            int i = 0;
            while (firstBlock[i + 1] <= task) i++;
            Job j = jobs[i];
            int start = (firstCut[i] + task - firstBlock[i]) * target;
            int from = Math.max(j.from(), start);
            int to = Math.min(j.to(), start + target);
            j.w().matmul(arranged[i], n, j.out(), j.outStride(), j.from(), from, to, pool.scratch(worker, j.w().scratchFloats(n)));
        });
    }
}
