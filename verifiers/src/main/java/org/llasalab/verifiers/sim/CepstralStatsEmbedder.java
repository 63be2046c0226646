package org.llasalab.verifiers.sim;

import java.util.Arrays;
import org.llasalab.dsp.LogMel;
import org.llasalab.verifiers.AudioEmbedder;

/**
 * A training-free speaker embedding from long-term cepstral statistics: MFCCs (DCT-II of a 40-band
 * log-mel spectrum, 25 ms windows every 10 ms) of the louder 70% of frames, coefficients 1..19 (c0,
 * the loudness, is left out), summarised by their mean and standard deviation over the utterance.
 * It shares no model, training data or features with the learned speaker encoders, which makes it a
 * weak but independent auditor of a search guided by one of them.
 */
public final class CepstralStatsEmbedder implements AudioEmbedder {
    static final int MELS = 40;
    static final int COEFFS = 20;
    private final LogMel logMel = new LogMel(16_000, 400, 160, MELS, true, 1e-10f);
    private final double[][] dct = new double[COEFFS][MELS];

    public CepstralStatsEmbedder() {
        for (int k = 0; k < COEFFS; k++) {
            for (int m = 0; m < MELS; m++) dct[k][m] = Math.cos(Math.PI * k * (m + 0.5) / MELS);
        }
    }

    @Override
    public float[] embed(float[] audio16k) {
        float[][] mel = logMel.compute(audio16k);
        if (mel.length == 0) return new float[2 * (COEFFS - 1)];
        double[][] mfcc = new double[mel.length][COEFFS];
        double[] energy = new double[mel.length];
        for (int t = 0; t < mel.length; t++) {
            for (int k = 0; k < COEFFS; k++) {
                double s = 0;
                for (int m = 0; m < MELS; m++) s += dct[k][m] * mel[t][m];
                mfcc[t][k] = s;
            }
            energy[t] = mfcc[t][0];
        }
        double[] sorted = energy.clone();
        Arrays.sort(sorted);
        double threshold = sorted[(int) Math.floor(0.3 * (sorted.length - 1))];
        double[] mean = new double[COEFFS];
        double[] square = new double[COEFFS];
        int kept = 0;
        for (int t = 0; t < mel.length; t++) {
            if (energy[t] < threshold) continue;
            kept++;
            for (int k = 1; k < COEFFS; k++) {
                mean[k] += mfcc[t][k];
                square[k] += mfcc[t][k] * mfcc[t][k];
            }
        }
        float[] out = new float[2 * (COEFFS - 1)];
        for (int k = 1; k < COEFFS; k++) {
            double mu = mean[k] / kept;
            out[k - 1] = (float) mu;
            out[COEFFS - 1 + k - 1] = (float) Math.sqrt(Math.max(0, square[k] / kept - mu * mu));
        }
        return out;
    }
}
