#!/usr/bin/python3
"""Makes the X-codec2 encoder golden fixture with the upstream reference code (see README.md).

Run with Debian's PyTorch 1.13.1 and torchaudio 0.13.1 (apt-get install -y python3-torch python3-torchaudio
python3-numpy), after fetching the upstream files into upstream/ as the README says:

    /usr/bin/python3 make_golden.py

Writes, beside this script: config.json, model.safetensors (tiny random Xcodec2Model, transformers-native
layout, f32), prompt.wav (0.6 s, 16-bit), golden.json (config, codes, shapes) and the .npy arrays the tests read.
"""
import json
import math
import os
import struct
import sys
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "upstream"), HERE]

import numpy as np
import torch
import torch.nn.functional as F
import torchaudio

from configuration_wav2vec2_bert import Wav2Vec2BertConfig
from shim import Xcodec2Config
from modeling_xcodec2 import Xcodec2Model

SEED = 2026
torch.manual_seed(SEED)
np.random.seed(SEED)
torch.set_num_threads(1)

# ---- tiny config -----------------------------------------------------------------------------
semantic = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                feature_projection_input_dim=160, hidden_act="swish", layer_norm_eps=1e-5,
                position_embeddings_type="relative_key", left_max_position_embeddings=8,
                right_max_position_embeddings=2, conv_depthwise_kernel_size=5, max_source_positions=5000)
codec = dict(model_type="xcodec2", encoder_hidden_size=2, downsampling_ratios=[2, 2, 4, 4, 5], hidden_size=32,
             sampling_rate=16000, num_attention_heads=2, num_key_value_heads=2, num_hidden_layers=2,
             activation_dropout=0.0, attention_dropout=0.0, attention_bias=False, hidden_act="silu",
             rms_norm_eps=1e-6, head_dim=16, quantization_dim=64, quantization_levels=[4] * 8,
             max_position_embeddings=4096, rope_parameters={"rope_theta": 10000.0, "rope_type": "default"})
semantic_config = Wav2Vec2BertConfig(**semantic)
config = Xcodec2Config(**codec, semantic_model_config=semantic_config)
model = Xcodec2Model(config).eval()

# ---- random weights, scaled so that every stage carries signal -------------------------------------
with torch.no_grad():
    for name, p in model.named_parameters():
        if name.endswith((".alpha", ".beta")) and "snake" in name:
            p.copy_(torch.randn_like(p) * 0.3)
        elif "norm" in name and name.endswith("weight"):
            p.copy_(1 + 0.2 * torch.randn_like(p))
        elif "norm" in name and name.endswith("bias"):
            p.copy_(0.1 * torch.randn_like(p))
        elif p.dim() == 1:
            p.copy_(0.1 * torch.randn_like(p))
        elif "distance_embedding" in name:
            p.copy_(0.5 * torch.randn_like(p))
        else:
            # gains keep every stage of order 1 (the acoustic stack of residual units grows fast otherwise)
            gain = 0.5 if name.startswith("acoustic_encoder.") else 0.8 if name.startswith("semantic_adapter.") else 1.5
            fan_in = p[0].numel()
            p.copy_(torch.randn_like(p) * (gain / math.sqrt(fan_in)))

# ---- a prompt: 0.6 s of a two-tone chirp plus noise, stored as 16-bit PCM ---------------------------
n = 9600
t = np.arange(n) / 16000.0
signal = 0.4 * np.sin(2 * np.pi * (180 + 300 * t) * t) + 0.2 * np.sin(2 * np.pi * 1250 * t) + 0.05 * np.random.randn(n)
pcm = np.clip(np.round(signal * 32767), -32768, 32767).astype("<i2")
with wave.open(os.path.join(HERE, "prompt.wav"), "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(16000)
    w.writeframes(pcm.tobytes())
audio = torch.from_numpy(pcm.astype(np.float32) / 32768.0)[None, :]  # what a WAV reader gives

# ---- front end, as transformers' Xcodec2FeatureExtractor.__call__ does it for one utterance --------------
# (feature_extraction_xcodec2.py @ 0ba5a74b: pad 1 zero, pad to a multiple of hop with zeros, then kaldi fbank
#  on the padded audio with hop/2 zeros each side, per-bin mean/variance normalisation, stack pairs of frames)
hop = config.hop_length
a = F.pad(audio, (0, 1), value=0.0)
padded_len = ((a.shape[-1] + hop - 1) // hop) * hop
padded_audio = F.pad(a, (0, padded_len - a.shape[-1]), value=0.0)[:, None, :]  # [1, 1, P]
waveform = F.pad(padded_audio[0, :, :padded_len], (hop // 2, hop // 2), value=0.0)
fbank = torchaudio.compliance.kaldi.fbank(
    waveform * (2**15), num_mel_bins=80, frame_length=400 / 16000 * 1000, frame_shift=160 / 16000 * 1000,
    sample_frequency=16000, window_type="povey", preemphasis_coefficient=0.97, remove_dc_offset=True,
    use_log_fbank=True, use_energy=False, dither=0.0, snip_edges=True, low_freq=20, high_freq=16000 // 2)
raw_fbank = fbank.clone()
fbank = (fbank - fbank.mean(0)) / torch.sqrt(fbank.var(0, unbiased=True) + 1e-7)
frames = fbank.shape[0] - fbank.shape[0] % 2
features = fbank[:frames].reshape(1, frames // 2, 160)

# ---- the reference forward pass, stage by stage -----------------------------------------------------
with torch.no_grad():
    sem = model.semantic_encoder(features, output_hidden_states=True)
    hidden_states = torch.stack(sem.hidden_states, 0)[:, 0]  # [layers + 1, T, 32]
    adapted = model.semantic_adapter(sem.last_hidden_state.transpose(1, 2)).transpose(1, 2)[0]
    acoustic = model.acoustic_encoder(padded_audio).transpose(1, 2)[0]
    out = model.encode(padded_audio, features, output_latents=True)
    codes = out.audio_codes[0, 0].to(torch.int64)
    fused = model.fc_encoder(torch.cat([adapted, acoustic], dim=1))
    # distance of every FSQ value from a rounding boundary: the fixture must not sit on a knife edge
    q = model.quantizer.finite_scalar_quantization
    bounded = q.bound(q.bound(model.quantizer.project_in(fused)))
    margin = float((bounded - bounded.floor() - 0.5).abs().min())
    decoded = model.decode(audio_codes=out.audio_codes.long()).audio_values[0, 0]

print("frames", features.shape[1], "codes", codes.tolist())
print("rounding margin", margin)
assert margin > 1e-3, "codes too close to a rounding boundary; change the seed"

# ---- write the fixture ------------------------------------------------------------------------------
def save(name, array):
    np.save(os.path.join(HERE, name), np.ascontiguousarray(array.detach().numpy().astype("<f4")))

save("fbank_raw.npy", raw_fbank)
save("features.npy", features[0])
save("semantic_hidden_states.npy", hidden_states)
save("semantic_adapted.npy", adapted)
save("acoustic.npy", acoustic)
save("fused.npy", fused)
save("decoded.npy", decoded)
for name, a in [("features", features), ("hidden", hidden_states), ("adapted", adapted), ("acoustic", acoustic),
                ("fused", fused)]:
    print("%-9s max |x| %.3g" % (name, float(a.abs().max())))

state = {k: v.contiguous() for k, v in model.state_dict().items()}
header, blobs, offset = {}, [], 0
for k in sorted(state):
    data = state[k].numpy().astype("<f4").tobytes()
    header[k] = {"dtype": "F32", "shape": list(state[k].shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
header["__metadata__"] = {"format": "pt", "made_by": "make_golden.py (tiny random Xcodec2Model)"}
h = json.dumps(header, separators=(",", ":")).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(os.path.join(HERE, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    for b in blobs:
        f.write(b)

cfg = dict(codec)
cfg["semantic_model_config"] = dict(semantic, model_type="wav2vec2-bert")
with open(os.path.join(HERE, "config.json"), "w") as f:
    json.dump(cfg, f, indent=2)
with open(os.path.join(HERE, "golden.json"), "w") as f:
    json.dump({"seed": SEED, "samples": n, "padded_samples": padded_len, "frames": int(features.shape[1]),
               "codes": codes.tolist(), "rounding_margin": margin,
               "torch": torch.__version__, "torchaudio": torchaudio.__version__}, f, indent=2)
print("parameters", sum(p.numel() for p in model.parameters()))
