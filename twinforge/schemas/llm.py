"""Settings of the optional LLM prompt drafter (embedded in a recipe as its ``llm`` table).

The API key itself never appears here: ``api_key_env`` names the environment variable that holds
it, so recipes, manifests and caches can be written and shared without leaking it.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

KEY_VARIABLE = r"[A-Za-z0-9_]*(_API_KEY|_KEY|_TOKEN)"
"""What an ``api_key_env`` name must look like: the variable of an API key, not any secret."""
EVOLUTION_METHODS = ("rephrase", "words", "reorder", "context", "concise")
"""Rewrite methods (SceneInstruct-style evolution adapted so the facts survive)."""


class EvolutionWeights(BaseModel):
    """Relative weights of the rewrite methods; a method with weight 0 is never chosen.

    rephrase: other wording, same facts. words: small whole-number counts written as words.
    reorder: another order of the sentences. context: one added sentence of industrial context
    with no numbers. concise: a shorter, denser prompt.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rephrase: float = Field(0.3, ge=0)
    words: float = Field(0.15, ge=0)
    reorder: float = Field(0.2, ge=0)
    context: float = Field(0.2, ge=0)
    concise: float = Field(0.15, ge=0)

    @model_validator(mode="after")
    def _some_weight(self) -> EvolutionWeights:
        if sum(self.as_dict().values()) <= 0:
            raise ValueError("evolution weights must not all be 0")
        return self

    def as_dict(self) -> dict[str, float]:
        """Method -> weight, in the fixed order of ``EVOLUTION_METHODS``."""
        return {method: float(getattr(self, method)) for method in EVOLUTION_METHODS}


class LLMSettings(BaseModel):
    """Where and how to call an OpenAI-compatible chat-completions endpoint."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = Field("gpt-4o-mini", min_length=1)
    api_key_env: str = "TWINFORGE_LLM_API_KEY"
    concurrency: int = Field(4, ge=1, le=256)
    timeout_s: float = Field(60.0, gt=0)
    max_retries: int = Field(4, ge=0, le=20)
    backoff_s: float = Field(1.0, ge=0)
    temperature: float = Field(0.7, ge=0, le=2)
    max_tokens: int = Field(1024, ge=16)
    cache_dir: str = Field(".cache/twinforge/llm", min_length=1)
    evolution: EvolutionWeights = EvolutionWeights()

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not re.match(r"^https?://[^\s/]+", url):
            raise ValueError(f"base_url {url!r} must start with http:// or https:// and name a host")
        return url.rstrip("/")

    @field_validator("api_key_env")
    @classmethod
    def _env_name(cls, name: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"api_key_env {name!r} must be the NAME of an environment variable, not a key")
        if not re.fullmatch(KEY_VARIABLE, name):
            raise ValueError(f"api_key_env {name!r} does not look like an API key variable (it must end in "
                             "_API_KEY, _KEY or _TOKEN), so a recipe cannot send another secret to the endpoint")
        return name

    @field_validator("cache_dir")
    @classmethod
    def _inside(cls, folder: str) -> str:
        path = PurePosixPath(folder)
        if path.is_absolute() or ".." in path.parts or "\\" in folder:
            raise ValueError(f"cache_dir {folder!r} must be a relative folder without '..' "
                             "(it is kept inside the corpus folder)")
        return folder
