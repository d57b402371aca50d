"""The LLM drafter end to end: the real ``openai`` client against a scripted local chat server."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from twinforge.renderers.fidelity import check_fidelity
from twinforge.renderers.llm_cache import request_key
from twinforge.renderers.llm_drafter import LLMConfigError, LLMDrafter
from twinforge.renderers.prompt import PROMPT_TEMPLATE_VERSION, draft_prompt, make_prompt
from twinforge.schemas.llm import EvolutionWeights, LLMSettings

KEY_ENV = "TWINFORGE_TEST_LLM_API_KEY"
SECRET = "sk-test-7d1e-SECRET-do-not-write"
SERVER_LIFETIME_S = 60


@dataclass(frozen=True)
class Reply:
    """What the server does for one request: wait ``delay`` s, then answer ``content`` or fail with ``status``."""

    content: str = ""
    status: int = 200
    delay: float = 0.0


class ChatServer:
    """A chat-completions endpoint on 127.0.0.1 (random port) that follows a script and counts requests."""

    def __init__(self, script: Callable[[int, dict], Reply]):
        self.script = script
        self.bodies: list[dict] = []
        self.auth: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._stopper = threading.Timer(SERVER_LIFETIME_S, self.stop)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def count(self) -> int:
        return len(self.bodies)

    def start(self) -> ChatServer:
        self._thread.start()
        self._stopper.start()
        return self

    def stop(self) -> None:
        self._stopper.cancel()
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server._lock:
                    index = len(server.bodies)
                    server.bodies.append(body)
                    server.auth.append(self.headers.get("Authorization", ""))
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    reply = server.script(index, body)
                    time.sleep(reply.delay)
                    if reply.status == 200:
                        payload = {"id": f"chatcmpl-{index}", "object": "chat.completion", "created": 0,
                                   "model": body["model"],
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": reply.content}}],
                                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                    else:
                        payload = {"error": {"message": "scripted failure", "type": "server_error"}}
                    data = json.dumps(payload).encode()
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server._lock:
                        server.in_flight -= 1

        return Handler


def draft_of(body: dict) -> str:
    """The template draft inside a rewrite request."""
    return body["messages"][1]["content"].split("Draft:\n", 1)[1]


def good(index: int, body: dict) -> Reply:
    """A faithful rewrite: a new opening sentence, the facts untouched."""
    return Reply("Please set this model up for me. " + draft_of(body))


def drops_a_number(index: int, body: dict) -> Reply:
    """An unfaithful rewrite: the source's mean of 30 becomes 35."""
    return Reply(re.sub(r"(?<![0-9.])30(?![0-9])", "35", draft_of(body)))


@pytest.fixture
def serve():
    servers: list[ChatServer] = []

    def start(script: Callable[[int, dict], Reply]) -> ChatServer:
        servers.append(ChatServer(script).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv(KEY_ENV, SECRET)


def settings_for(server: ChatServer, tmp_path, **changes) -> LLMSettings:
    values = {"enabled": True, "base_url": server.url, "model": "test-model", "api_key_env": KEY_ENV,
              "concurrency": 2, "timeout_s": 2.0, "max_retries": 2, "backoff_s": 0.01,
              "cache_dir": "cache"}
    return LLMSettings(**{**values, **changes})


def test_a_good_answer_is_used_with_llm_provenance(serve, key_env, tmp_path, small_spec):
    server = serve(good)
    result = make_prompt(small_spec, "text", np.random.default_rng(5), LLMDrafter(settings_for(server, tmp_path), tmp_path))
    assert result.source == "llm:test-model" and result.attempts == 1 and result.problems == ()
    assert result.text.startswith("Please set this model up for me. ")
    assert check_fidelity(result.text, small_spec, "text") == []
    assert server.count == 1 and server.auth == [f"Bearer {SECRET}"]
    assert server.bodies[0]["model"] == "test-model" and server.bodies[0]["temperature"] == 0.7


def test_http_500_is_retried_then_succeeds(serve, key_env, tmp_path, small_spec):
    server = serve(lambda index, body: Reply(status=500) if index == 0 else good(index, body))
    result = make_prompt(small_spec, "sketch", np.random.default_rng(5), LLMDrafter(settings_for(server, tmp_path), tmp_path))
    assert server.count == 2
    assert result.source == "llm:test-model" and result.attempts == 1


def test_http_429_is_retried(serve, key_env, tmp_path, small_spec):
    server = serve(lambda index, body: Reply(status=429) if index < 2 else good(index, body))
    result = make_prompt(small_spec, "text", np.random.default_rng(2), LLMDrafter(settings_for(server, tmp_path), tmp_path))
    assert server.count == 3 and result.source == "llm:test-model"


def test_a_timeout_is_retried(serve, key_env, tmp_path, small_spec):
    server = serve(lambda index, body: Reply(delay=4.0) if index == 0 else good(index, body))
    drafter = LLMDrafter(settings_for(server, tmp_path, timeout_s=0.3), tmp_path)
    started = time.monotonic()
    result = make_prompt(small_spec, "text", np.random.default_rng(8), drafter)
    assert result.source == "llm:test-model"
    assert server.count == 2
    assert time.monotonic() - started < 3.0, "the client must give up on the slow answer, not wait for it"


def test_endless_failures_fall_back_to_the_template(serve, key_env, tmp_path, small_spec):
    server = serve(lambda index, body: Reply(status=503))
    rng_seed = 9
    result = make_prompt(small_spec, "text", np.random.default_rng(rng_seed),
                         LLMDrafter(settings_for(server, tmp_path, max_retries=1), tmp_path))
    assert server.count == 2
    assert result.source == f"template:{PROMPT_TEMPLATE_VERSION}"
    assert result.text == draft_prompt(small_spec, "text", np.random.default_rng(rng_seed))
    assert "HTTP 503" in result.problems[0]


def test_a_dropped_number_gets_feedback_then_falls_back(serve, key_env, tmp_path, small_spec):
    server = serve(drops_a_number)
    result = make_prompt(small_spec, "text", np.random.default_rng(3), LLMDrafter(settings_for(server, tmp_path), tmp_path))
    assert server.count == 2
    second = server.bodies[1]["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert "'35'" in second[-1]["content"] and "Blank Source" in second[-1]["content"]
    assert result.source == f"template:{PROMPT_TEMPLATE_VERSION}" and result.attempts == 2
    assert result.text == draft_prompt(small_spec, "text", np.random.default_rng(3))
    assert any(p.startswith("attempt 1:") and "35" in p for p in result.problems)
    assert any(p.startswith("attempt 2:") for p in result.problems)


def test_feedback_that_works_is_accepted_on_the_second_attempt(serve, key_env, tmp_path, small_spec):
    server = serve(lambda index, body: drops_a_number(index, body) if index == 0 else good(index, body))
    result = make_prompt(small_spec, "text", np.random.default_rng(3), LLMDrafter(settings_for(server, tmp_path), tmp_path))
    assert result.source == "llm:test-model" and result.attempts == 2
    assert result.problems and all(p.startswith("attempt 1:") for p in result.problems)


def test_a_regeneration_is_served_from_the_cache_and_the_key_is_never_written(
        serve, key_env, tmp_path, small_spec, caplog):
    caplog.set_level(logging.DEBUG)
    server = serve(lambda index, body: Reply(status=500) if index == 0 else good(index, body))
    settings = settings_for(server, tmp_path)

    def run() -> list:
        drafter = LLMDrafter(settings, tmp_path)
        items = [drafter.prepare(small_spec, mode, draft_prompt(small_spec, mode, rng), rng)
                 for mode, rng in (("text", np.random.default_rng(i)) if i % 2 else ("sketch", np.random.default_rng(i))
                                   for i in range(6))]
        return drafter.rewrite_many(items)

    first = run()
    asked = server.count
    assert asked == 7 and all(r.source == "llm:test-model" for r in first)
    second = run()
    assert server.count == asked, "the regeneration must not call the endpoint"
    assert second == first
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    (outputs / "prompts.jsonl").write_text("\n".join(json.dumps(r.__dict__) for r in first), encoding="utf-8")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len([p for p in files if p.suffix == ".json"]) == 6
    assert not [p for p in files if p.name.startswith(".tmp-")], "no half-written cache file is left"
    for path in files:
        assert SECRET not in path.read_text(encoding="utf-8"), path
    assert SECRET not in caplog.text and "retry" in caplog.text


def test_concurrency_is_bounded(serve, key_env, tmp_path, small_spec):
    server = serve(lambda index, body: Reply(good(index, body).content, delay=0.15))
    drafter = LLMDrafter(settings_for(server, tmp_path, concurrency=2), tmp_path)
    rng = np.random.default_rng(0)
    items = [drafter.prepare(small_spec, "sketch", draft_prompt(small_spec, "sketch", rng), rng) for _ in range(6)]
    results = drafter.rewrite_many(items)
    assert len(results) == 6 and server.count == 6
    assert server.max_in_flight == 2


def test_the_evolution_method_changes_the_instruction(serve, key_env, tmp_path, small_spec):
    server = serve(good)
    weights = EvolutionWeights(rephrase=0, words=1, reorder=0, context=0, concise=0)
    drafter = LLMDrafter(settings_for(server, tmp_path, evolution=weights), tmp_path)
    make_prompt(small_spec, "text", np.random.default_rng(1), drafter)
    assert "as English words" in server.bodies[0]["messages"][1]["content"]


def test_a_missing_key_or_a_refusal_is_a_clear_error(serve, monkeypatch, tmp_path, small_spec):
    server = serve(lambda index, body: Reply(status=401))
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(LLMConfigError, match=KEY_ENV):
        LLMDrafter(settings_for(server, tmp_path), tmp_path)
    monkeypatch.setenv(KEY_ENV, SECRET)
    with pytest.raises(LLMConfigError, match="HTTP 401"):
        make_prompt(small_spec, "text", np.random.default_rng(1), LLMDrafter(settings_for(server, tmp_path), tmp_path))
    assert server.count == 1


def test_settings_reject_a_key_in_place_of_a_variable_name():
    with pytest.raises(ValueError, match="NAME of an environment variable"):
        LLMSettings(api_key_env="sk-abc123")
    with pytest.raises(ValueError, match="extra"):
        LLMSettings(api_key="sk-abc123")


@pytest.mark.parametrize("name", ["DATABASE_PASSWORD", "HOME", "PGPASSWORD", "AWS_SECRET_ACCESS_KEY_ID"])
def test_settings_refuse_variables_that_are_not_api_keys(name: str):
    with pytest.raises(ValueError, match="does not look like an API key variable"):
        LLMSettings(api_key_env=name)


@pytest.mark.parametrize("folder", ["../../x", "/tmp/cache", "a/../../b"])
def test_the_cache_stays_inside_the_corpus(folder: str):
    with pytest.raises(ValueError, match="relative folder"):
        LLMSettings(cache_dir=folder)


def test_the_cache_key_covers_model_messages_parameters_and_template_version():
    messages = [{"role": "user", "content": "Draft:\nQueue1 feeds Sink1."}]
    base = request_key("m", messages, {"temperature": 0.7}, "1.0")
    assert base == request_key("m", [dict(m) for m in messages], {"temperature": 0.7}, "1.0")
    assert len({base, request_key("n", messages, {"temperature": 0.7}, "1.0"),
                request_key("m", messages, {"temperature": 0.2}, "1.0"),
                request_key("m", messages, {"temperature": 0.7}, "1.1"),
                request_key("m", [{"role": "user", "content": "Draft:\nQueue1 feeds Sink2."}],
                            {"temperature": 0.7}, "1.0")}) == 5


def test_an_endpoint_failing_every_request_stops_generate_with_a_clear_error(serve, key_env, tmp_path, capsys):
    from twinforge.cli import main

    server = serve(lambda index, body: Reply(status=503))
    recipe = tmp_path / "llm.toml"
    recipe.write_text(f'name = "l"\nfamily = "factory"\nseed = 1\ncount = 2\nshard_size = 2\n'
                      f'[sketch]\nfraction = 0\n[llm]\nenabled = true\nbase_url = "{server.url}"\n'
                      f'api_key_env = "{KEY_ENV}"\nmax_retries = 0\nbackoff_s = 0\n')
    code = main(["generate", str(recipe), "--out", str(tmp_path / "c"), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "failed every request of samples 0..1" in err and SECRET not in err
    assert server.count == 2
    assert not (tmp_path / "c" / "shards" / "part-00000.parquet").exists()


def test_the_answer_cache_lives_inside_the_corpus(serve, key_env, tmp_path, monkeypatch):
    from twinforge.pipeline.generate import generate_corpus

    server = serve(good)
    recipe = tmp_path / "llm.toml"
    recipe.write_text(f'name = "l"\nfamily = "factory"\nseed = 1\ncount = 2\nshard_size = 2\n'
                      f'[sketch]\nfraction = 0\n[llm]\nenabled = true\nbase_url = "{server.url}"\n'
                      f'api_key_env = "{KEY_ENV}"\ncache_dir = "answers"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    generate_corpus(recipe, out=tmp_path / "c", workers=1, progress=False)
    asked = server.count
    assert asked >= 2 and list((tmp_path / "c" / ".cache" / "answers").rglob("*.json"))
    assert not list(elsewhere.iterdir())
    monkeypatch.chdir(tmp_path)
    generate_corpus(recipe, out=tmp_path / "c", workers=1, progress=False, resume=False)
    assert server.count == asked, "a regeneration from another working folder asks nothing again"


def test_a_rewrite_that_drops_the_code_style_falls_back_to_the_draft(serve, key_env, tmp_path, small_spec):
    from twinforge.renderers.fidelity import STYLE_PATTERNS

    def drops_style(index: int, body: dict) -> Reply:
        kept = [line for line in re.split(r"(?<=[.!?])\s+", draft_of(body))
                if not re.search(STYLE_PATTERNS["loop"], line, re.IGNORECASE)]
        return Reply(" ".join(kept))

    server = serve(drops_style)
    drafter = LLMDrafter(settings_for(server, tmp_path), tmp_path)
    result = make_prompt(small_spec, "text", np.random.default_rng(4), drafter, code_style="loop")
    assert result.source.startswith("template") and server.count == 2
    assert any("code style 'loop' is not stated" in problem for problem in result.problems)
    assert result.text == draft_prompt(small_spec, "text", np.random.default_rng(4), code_style="loop")
