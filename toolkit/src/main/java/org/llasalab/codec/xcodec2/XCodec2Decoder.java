package org.llasalab.codec.xcodec2;

import static org.llasalab.codec.xcodec2.CodecKernels.addInPlace;
import static org.llasalab.codec.xcodec2.CodecKernels.conv1d;
import static org.llasalab.codec.xcodec2.CodecKernels.groupNorm;
import static org.llasalab.codec.xcodec2.CodecKernels.layerNorm;
import static org.llasalab.codec.xcodec2.CodecKernels.matmulTransposed;
import static org.llasalab.codec.xcodec2.CodecKernels.rmsNorm;
import static org.llasalab.codec.xcodec2.CodecKernels.silu;
import static org.llasalab.codec.xcodec2.CodecKernels.softmaxRows;

import org.llasalab.codec.xcodec2.DecoderWeights.Conv;
import org.llasalab.codec.xcodec2.DecoderWeights.Layer;
import org.llasalab.codec.xcodec2.DecoderWeights.Linear;
import org.llasalab.codec.xcodec2.DecoderWeights.ResBlock;

/**
 * The X-codec2 decoder, codes to waveform, one utterance at a time (bidirectional attention and
 * GroupNorm see the whole utterance, so rows of a batch are never padded together). Activations are
 * time-major [frames, channels]. The forward pass:
 * <pre>
 *   z = FSQ(code)                                  [T, 8]
 *   x = fc(project_out(z))                         [T, hidden]
 *   x = embed(x)                                   conv k7
 *   x = prior_net(x)                               2 x (GroupNorm, SiLU, conv k3) twice, + residual
 *   x = x + attn(rms(x)); x = x + mlp(rms(x))      per transformer layer (rotary over the HEAD axis)
 *   x = post_net(x); x = LayerNorm(x)
 *   audio = ISTFT(head(x))
 * </pre>
 */
public final class XCodec2Decoder {
    private final XCodec2Config config;
    private final DecoderWeights w;
    private final Fsq fsq;
    private final IstftHead istft;
    private final float[] ropeCos;
    private final float[] ropeSin;

    public XCodec2Decoder(XCodec2Config config, DecoderWeights weights) {
        this.config = config;
        this.w = weights;
        this.fsq = new Fsq(config.levels());
        this.istft = new IstftHead(config.nFft(), config.hopLength());
        // The quirk of the reference: positions index HEADS (0..heads-1), the same for every frame.
        int heads = config.numHeads();
        int half = config.headDim() / 2;
        ropeCos = new float[heads * half];
        ropeSin = new float[heads * half];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                float invFreq = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim()));
                float angle = h * invFreq;
                ropeCos[h * half + i] = (float) Math.cos(angle);
                ropeSin[h * half + i] = (float) Math.sin(angle);
            }
        }
    }

    public XCodec2Config config() {
        return config;
    }

    public DecoderWeights weights() {
        return w;
    }

    /** Codes (0..codebookSize-1) to frames x hop samples. */
    public float[] decode(int[] codes) {
        int frames = codes.length;
        if (frames == 0) return new float[0];
        int hidden = config.hiddenSize();
        float[] z = fsq.levelValues(codes);
        float[] x = linear(z, frames, w.projectOut);
        x = linear(x, frames, w.fc);
        x = conv(x, frames, w.embed);
        for (ResBlock b : w.priorNet) x = resBlock(x, frames, b);
        for (Layer layer : w.layers) x = transformerLayer(x, frames, layer);
        for (ResBlock b : w.postNet) x = resBlock(x, frames, b);
        layerNorm(x, frames, hidden, (float) XCodec2Config.NORM_EPS, w.norm.gamma(), w.norm.beta());
        float[] spec = linear(x, frames, w.head);
        return istft.synthesize(spec, frames);
    }

    private static float[] linear(float[] x, int rows, Linear l) {
        return matmulTransposed(x, rows, l.in(), l.weight(), l.out(), l.bias());
    }

    private static float[] conv(float[] x, int frames, Conv c) {
        return conv1d(x, frames, c.in(), c.weight(), c.out(), c.kernel(), c.bias());
    }

    /** x + conv2(silu(gn2(conv1(silu(gn1(x)))))). */
    private float[] resBlock(float[] x, int frames, ResBlock b) {
        int c = config.hiddenSize();
        float eps = (float) XCodec2Config.NORM_EPS;
        float[] h = x.clone();
        groupNorm(h, frames, c, XCodec2Config.RESNET_GROUPS, eps, b.norm1().gamma(), b.norm1().beta());
        silu(h);
        h = conv(h, frames, b.conv1());
        groupNorm(h, frames, c, XCodec2Config.RESNET_GROUPS, eps, b.norm2().gamma(), b.norm2().beta());
        silu(h);
        h = conv(h, frames, b.conv2());
        addInPlace(h, x);
        return h;
    }

    private float[] transformerLayer(float[] x, int frames, Layer layer) {
        int hidden = config.hiddenSize();
        float eps = (float) config.rmsNormEps();
        float[] h = rmsNorm(x, frames, hidden, eps, layer.attnNorm());
        addInPlace(x, attention(h, frames, layer));
        h = rmsNorm(x, frames, hidden, eps, layer.mlpNorm());
        float[] up = linear(h, frames, layer.fc1());
        silu(up);
        addInPlace(x, linear(up, frames, layer.fc2()));
        return x;
    }

    /** Bidirectional multi-head attention; rotary embedding by head index. */
    private float[] attention(float[] h, int frames, Layer layer) {
        int hidden = config.hiddenSize();
        int heads = config.numHeads();
        int hd = config.headDim();
        float[] q = linear(h, frames, layer.q());
        float[] k = linear(h, frames, layer.k());
        float[] v = linear(h, frames, layer.v());
        rotateByHead(q, frames);
        rotateByHead(k, frames);
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] out = new float[frames * hidden];
        float[] qh = new float[frames * hd];
        float[] kh = new float[frames * hd];
        float[] vt = new float[hd * frames];
        for (int head = 0; head < heads; head++) {
            int off = head * hd;
            for (int t = 0; t < frames; t++) {
                for (int d = 0; d < hd; d++) {
                    qh[t * hd + d] = q[t * hidden + off + d] * scale;
                    kh[t * hd + d] = k[t * hidden + off + d];
                    vt[d * frames + t] = v[t * hidden + off + d];
                }
            }
            float[] scores = matmulTransposed(qh, frames, hd, kh, frames, null);
            softmaxRows(scores, frames, frames);
            float[] ctx = matmulTransposed(scores, frames, frames, vt, hd, null);
            for (int t = 0; t < frames; t++) {
                System.arraycopy(ctx, t * hd, out, t * hidden + off, hd);
            }
        }
        return linear(out, frames, layer.o());
    }

    /** Rotates pairs (i, i + hd/2) of each head's vector by the angles of position = head index. */
    private void rotateByHead(float[] x, int frames) {
        int hidden = config.hiddenSize();
        int hd = config.headDim();
        int half = hd / 2;
        for (int t = 0; t < frames; t++) {
            for (int head = 0; head < config.numHeads(); head++) {
                int base = t * hidden + head * hd;
                for (int i = 0; i < half; i++) {
                    float c = ropeCos[head * half + i];
                    float s = ropeSin[head * half + i];
                    float a = x[base + i];
                    float b = x[base + half + i];
                    x[base + i] = a * c - b * s;
                    x[base + half + i] = b * c + a * s;
                }
            }
        }
    }
}
