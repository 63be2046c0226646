"""The few pieces of transformers' infrastructure that the upstream modeling files import, written for this
fixture so that those files run on PyTorch 1.13.1 without transformers. None of it does arithmetic of the
models: activations map to torch.nn modules, output classes are plain dataclasses, decorators are identities."""

import contextlib
import dataclasses
import typing

import torch
from torch import nn

ACT2FN = {"swish": nn.SiLU(), "silu": nn.SiLU(), "relu": nn.ReLU(), "gelu": nn.GELU()}


def is_deepspeed_zero3_enabled():
    return False


class ModelOutput:
    """Indexable like transformers' ModelOutput: the fields that are not None, in declaration order."""

    def _values(self):
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None)

    def __getitem__(self, i):
        return self._values()[i]


@dataclasses.dataclass
class BaseModelOutput(ModelOutput):
    last_hidden_state: torch.Tensor = None
    hidden_states: tuple = None
    attentions: tuple = None


@dataclasses.dataclass
class Wav2Vec2BaseModelOutput(ModelOutput):
    last_hidden_state: torch.Tensor = None
    extract_features: torch.Tensor = None
    hidden_states: tuple = None
    attentions: tuple = None


class PretrainedConfig:
    def __init__(self, **kwargs):
        self.output_attentions = False
        self.output_hidden_states = False
        self.use_return_dict = True
        self._attn_implementation = "eager"
        for k, v in kwargs.items():
            setattr(self, k, v)


class PreTrainedModel(nn.Module):
    def __init__(self, config, *args, **kwargs):
        super().__init__()
        self.config = config

    def post_init(self):
        pass


class GradientCheckpointingLayer(nn.Module):
    pass


class Cache:
    pass


class TransformersKwargs(typing.TypedDict, total=False):
    pass


Unpack = typing.Unpack


def _identity_decorator(*args, **kwargs):
    if len(args) == 1 and callable(args[0]) and not kwargs and isinstance(args[0], type):
        return args[0]
    return lambda f: f


use_kernel_forward_from_hub = _identity_decorator
use_kernelized_func = _identity_decorator
auto_docstring = _identity_decorator


def can_return_tuple(f):
    return f


def dynamic_rope_update(f):
    return f


ROPE_INIT_FUNCTIONS = {}


class _AttentionFunctions:
    def get_interface(self, name, default):
        return default


ALL_ATTENTION_FUNCTIONS = _AttentionFunctions()


@contextlib.contextmanager
def maybe_autocast(device_type=None, enabled=True, **kwargs):
    yield


@contextlib.contextmanager
def autocast(device_type=None, enabled=True, **kwargs):
    if enabled:
        raise RuntimeError("autocast is only ever disabled in the reference code")
    yield


init = None


class AutoModel:
    @staticmethod
    def from_config(config):
        from modeling_wav2vec2_bert import Wav2Vec2BertModel

        return Wav2Vec2BertModel(config)


class Xcodec2Config(PretrainedConfig):
    """The fields of transformers' Xcodec2Config that the modeling code reads (a plain holder here)."""

    @property
    def hop_length(self):
        out = 1
        for r in self.downsampling_ratios:
            out *= r
        return out

    @property
    def n_fft(self):
        return self.hop_length * 4
