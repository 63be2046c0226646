#!/usr/bin/env python3
"""Makes the tiny ONNX models, test audio and expected numbers used by the verifiers' ONNX tests.

Run with Debian's packages (python3-torch 1.13, python3-torchaudio 0.13, python3-onnx 1.12):
    /usr/bin/python3 make_tiny_models.py
Everything is deterministic (fixed seeds); the outputs are written next to this script.
"""
import json
import os
import wave

import numpy as np
import torch
import torchaudio

HERE = os.path.dirname(os.path.abspath(__file__))
SR = 16000


def test_signal(seed, f0, seconds=0.6):
    """A speech-like test signal: a few harmonics of f0 with a slow envelope plus a little noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    x = np.zeros_like(t)
    for k in range(1, 6):
        x += np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 2 * np.pi)) / k
    x *= 0.5 + 0.5 * np.sin(2 * np.pi * 3.0 * t) ** 2
    x += 0.02 * rng.standard_normal(t.shape)
    return 0.3 * x / np.max(np.abs(x))


def write_wav(name, x):
    pcm = np.clip(np.round(x * 32767), -32768, 32767).astype('<i2')
    with wave.open(os.path.join(HERE, name), 'wb') as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.tobytes())
    return pcm.astype(np.float32) / 32768.0  # what a WAV reader returns


class RawSpeaker(torch.nn.Module):
    """Waveform [1, T] -> embedding [1, 8]."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(1, 6, kernel_size=400, stride=160)
        self.proj = torch.nn.Linear(6, 8)

    def forward(self, waveform):
        h = torch.tanh(self.conv(waveform.unsqueeze(1)))  # [1, 6, frames]
        return self.proj(h.mean(dim=2))


class FbankSpeaker(torch.nn.Module):
    """80-bin fbank features [1, frames, 80] -> embedding [1, 6]."""

    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(80, 16)
        self.proj = torch.nn.Linear(16, 6)

    def forward(self, feats):
        h = torch.relu(self.hidden(feats / 10.0))
        return self.proj(h.mean(dim=1))


class Emotion(torch.nn.Module):
    """Normalised waveform [1, T] -> (class logits [1, 4], utterance embedding [1, 8])."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(1, 8, kernel_size=320, stride=160)
        self.head = torch.nn.Linear(8, 4)

    def forward(self, source):
        emb = torch.relu(self.conv(source.unsqueeze(1))).mean(dim=2)
        return self.head(emb), emb


def zero_biases(model):
    """Zero biases so that the embedding depends on the input, not on constants (a meaningful cosine)."""
    for name, p in model.named_parameters():
        if name.endswith('bias'):
            torch.nn.init.zeros_(p)
    return model


def export(model, example, name, input_name, output_names, dynamic):
    path = os.path.join(HERE, name)
    torch.onnx.export(model, (example,), path, input_names=[input_name], output_names=output_names,
                      dynamic_axes={input_name: dynamic}, opset_version=13, do_constant_folding=True)
    return path


def fbank(wav, window):
    """Kaldi-style fbank as WeSpeaker computes it: 16-bit scale, 25/10 ms frames, 80 bins, no dither."""
    return torchaudio.compliance.kaldi.fbank(torch.from_numpy(wav).unsqueeze(0) * 32768.0, num_mel_bins=80,
                                             frame_length=25, frame_shift=10, dither=0.0, energy_floor=0.0,
                                             sample_frequency=SR, window_type=window)


def cos(a, b):
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def main():
    torch.manual_seed(1234)
    a = write_wav('a.wav', test_signal(1, 140.0))
    b = write_wav('b.wav', test_signal(2, 210.0))
    out = {}
    with torch.no_grad():
        raw = zero_biases(RawSpeaker()).eval()
        export(raw, torch.zeros(1, SR // 2), 'speaker_raw.onnx', 'waveform', ['embedding'], {1: 'samples'})
        ea = raw(torch.from_numpy(a).unsqueeze(0)).numpy().ravel()
        eb = raw(torch.from_numpy(b).unsqueeze(0)).numpy().ravel()
        out['raw'] = {'a': ea.tolist(), 'b': eb.tolist(), 'cosine': cos(ea, eb)}

        fb = zero_biases(FbankSpeaker()).eval()
        export(fb, torch.zeros(1, 50, 80), 'speaker_fbank.onnx', 'feats', ['embs'], {1: 'frames'})
        feats = {}
        for window in ('hamming', 'povey'):
            fa = fbank(a, window)
            feats[window] = {'frames': int(fa.shape[0]), 'first_frames': fa[:3].numpy().tolist(),
                             'last_frame': fa[-1].numpy().tolist(), 'mean': float(fa.mean())}
        out['fbank_features'] = feats
        fa = fbank(a, 'hamming')
        fbb = fbank(b, 'hamming')
        fa = fa - fa.mean(dim=0)  # cepstral mean normalisation over the utterance, as WeSpeaker does
        fbb = fbb - fbb.mean(dim=0)
        ea = fb(fa.unsqueeze(0)).numpy().ravel()
        eb = fb(fbb.unsqueeze(0)).numpy().ravel()
        out['fbank'] = {'window': 'hamming', 'scale': 32768.0, 'cmn': True, 'a': ea.tolist(), 'b': eb.tolist(),
                        'cosine': cos(ea, eb)}

        emo = Emotion().eval()
        export(emo, torch.zeros(1, SR // 2), 'emotion.onnx', 'source', ['logits', 'embedding'], {1: 'samples'})

        def norm(x):  # layer norm over the whole waveform, as emotion2vec's feature extractor does
            return (x - x.mean()) / np.sqrt(x.var() + 1e-5)

        la, ma = emo(torch.from_numpy(norm(a).astype(np.float32)).unsqueeze(0))
        lb, mb = emo(torch.from_numpy(norm(b).astype(np.float32)).unsqueeze(0))
        out['emotion'] = {'labels': ['angry', 'happy', 'neutral', 'sad'],
                          'a_probabilities': torch.softmax(la, dim=1).numpy().ravel().tolist(),
                          'b_probabilities': torch.softmax(lb, dim=1).numpy().ravel().tolist(),
                          'embedding_cosine': cos(ma.numpy(), mb.numpy())}
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(out, f, indent=1)
    print(json.dumps({k: v.get('cosine', v.get('embedding_cosine')) for k, v in out.items() if k != 'fbank_features'}))


if __name__ == '__main__':
    main()
