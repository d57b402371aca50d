"""The optional LLM drafter: rewrites template drafts through an OpenAI-compatible endpoint.

The facts cannot change: every answer goes through ``check_fidelity``; a rejected answer is sent
back once with its problems as feedback, and if the second answer fails too the sample keeps the
template draft (``prompt_source`` then says ``template:<version>`` and ``problems`` says why).
Requests use the ``openai`` client with its own retries off and our loop instead (exponential
backoff on 429, 5xx, timeouts and connection errors), at most ``concurrency`` at a time, and every
answer is cached on disk by request hash, so a regeneration makes no calls. The API key is read
from the environment variable named in the settings and is never written anywhere.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import openai

from twinforge.errors import UserError
from twinforge.renderers.evolution import choose_method, feedback_message, rewrite_messages
from twinforge.renderers.fidelity import check_fidelity
from twinforge.renderers.llm_cache import ResponseCache, request_key
from twinforge.renderers.prompt_types import (
    PROMPT_TEMPLATE_VERSION,
    PromptResult,
    llm_source,
    template_source,
)
from twinforge.schemas import FactorySpec
from twinforge.schemas.llm import LLMSettings

LOG = logging.getLogger(__name__)
ANSWERS_PER_ITEM = 2
"""One answer, and one more with the first answer's problems as feedback."""
RETRYABLE = (openai.RateLimitError, openai.InternalServerError, openai.APITimeoutError, openai.APIConnectionError)
MAX_RETRY_AFTER_S = 60.0


class LLMConfigError(UserError):
    """The drafter cannot run: no key in the named variable, or the endpoint refuses the request."""


class LLMUnavailable(RuntimeError):
    """The endpoint kept failing with transient errors after every retry."""


@dataclass(frozen=True)
class RewriteItem:
    """One rewrite job: the spec, its template draft and the drawn method and request seed."""

    spec: FactorySpec
    mode: str
    draft: str
    method: str
    seed: int
    code_style: str | None = None
    """The code style the prompt states (a rewrite must keep it)."""


def api_key(settings: LLMSettings, environ: Mapping[str, str] | None = None) -> str:
    """The key from the variable the settings name (``LLMConfigError`` if it is empty or not set)."""
    key = (os.environ if environ is None else environ).get(settings.api_key_env, "")
    if not key:
        raise LLMConfigError(f"environment variable {settings.api_key_env} is empty or not set; "
                             "it must hold the API key of the LLM endpoint (llm.api_key_env)")
    return key


class LLMDrafter:
    """Rewrites drafts; thread-safe, so one drafter serves a whole shard."""

    def __init__(self, settings: LLMSettings, cache_root: Path, environ: Mapping[str, str] | None = None):
        key = api_key(settings, environ)
        self.settings = settings
        self.cache = ResponseCache(cache_root / settings.cache_dir)
        self._client = openai.OpenAI(base_url=settings.base_url, api_key=key, timeout=settings.timeout_s,
                                     max_retries=0)

    def prepare(self, spec: FactorySpec, mode: str, draft: str, rng: np.random.Generator,
                code_style: str | None = None) -> RewriteItem:
        """Draw the item's rewrite method and request seed from the sample's generator."""
        method = choose_method(self.settings.evolution, rng)
        return RewriteItem(spec, mode, draft, method, int(rng.integers(2**31 - 1)), code_style)

    def rewrite_many(self, items: Sequence[RewriteItem]) -> list[PromptResult]:
        """Rewrite a batch (a shard's prompts) with at most ``concurrency`` requests in flight; order kept."""
        if not items:
            return []
        with ThreadPoolExecutor(max_workers=min(self.settings.concurrency, len(items))) as pool:
            return list(pool.map(self.rewrite, items))

    def rewrite(self, item: RewriteItem) -> PromptResult:
        """One item: answer, check, feedback once, else the template draft."""
        messages = rewrite_messages(item.draft, item.mode, item.method, item.spec.objects[0].name)
        rejected: list[str] = []
        for attempt in range(1, ANSWERS_PER_ITEM + 1):
            try:
                answer = self.complete(messages, item.seed)
            except LLMUnavailable as error:
                rejected.append(f"attempt {attempt}: request failed: {error}")
                return PromptResult(item.draft, template_source(), attempt, tuple(rejected), unavailable=True)
            text = clean_answer(answer)
            problems = (check_fidelity(text, item.spec, item.mode, code_style=item.code_style) if text
                        else ["the answer was empty"])
            if not problems:
                return PromptResult(text, llm_source(self.settings.model), attempt, tuple(rejected))
            rejected += [f"attempt {attempt}: {problem}" for problem in problems]
            messages = [*messages, {"role": "assistant", "content": answer}, feedback_message(problems)]
        return PromptResult(item.draft, template_source(), ANSWERS_PER_ITEM, tuple(rejected))

    def complete(self, messages: list[dict[str, Any]], seed: int) -> str:
        """The answer to ``messages``: from the cache, else from the endpoint (then cached)."""
        settings = self.settings
        parameters = {"temperature": settings.temperature, "max_tokens": settings.max_tokens, "seed": seed}
        key = request_key(settings.model, messages, parameters, PROMPT_TEMPLATE_VERSION)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        text = self._request(messages, parameters)
        self.cache.put(key, settings.model, text)
        return text

    def _request(self, messages: list[dict[str, Any]], parameters: dict[str, Any]) -> str:
        settings = self.settings
        for retry in range(settings.max_retries + 1):
            try:
                response = self._client.chat.completions.create(model=settings.model, messages=messages,
                                                                **parameters)
                return response.choices[0].message.content or ""
            except RETRYABLE as error:
                if retry == settings.max_retries:
                    raise LLMUnavailable(f"{_describe(error)} after {retry + 1} tries") from None
                delay = _backoff(error, settings.backoff_s * 2**retry)
                LOG.warning("LLM request failed (%s); retry %d of %d in %.2f s", _describe(error), retry + 1,
                            settings.max_retries, delay)
                time.sleep(delay)
            except openai.APIStatusError as error:
                raise LLMConfigError(f"the LLM endpoint refused the request: {_describe(error)}") from None
        raise AssertionError("unreachable: the loop returns or raises")


def _describe(error: Exception) -> str:
    """A short, key-free description of a client error."""
    status = getattr(error, "status_code", None)
    return f"HTTP {status}" if status is not None else type(error).__name__


def _backoff(error: Exception, delay: float) -> float:
    """The exponential delay, or the server's Retry-After when that is longer (capped)."""
    response = getattr(error, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    try:
        return min(max(delay, float(header)), MAX_RETRY_AFTER_S) if header else delay
    except ValueError:
        return delay


def clean_answer(answer: str) -> str:
    """Strip whitespace and a surrounding code fence or quotes that chat models like to add."""
    text = answer.strip()
    if text.startswith("```"):
        lines = text.splitlines()[1:]
        if lines and lines[-1].strip().startswith("```"):
            lines = lines[:-1]
        text = "\n".join(lines).strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text
