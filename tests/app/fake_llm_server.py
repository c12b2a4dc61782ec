#!/usr/bin/env python3
"""A scripted LLM server for Concord's judge tests and benchmark.

Speaks OpenAI Chat Completions (POST /v1/chat/completions) and Anthropic Messages
(POST /v1/messages) well enough for `concord judge`: it reads Concord's prompts (the <document>,
<question>, <answer_1>, <answer_2>, <answer> and <claims> sections of the built-in templates) and
answers with a plausible verdict in the reply schema it was sent.

Behaviour is scripted per item, inside the item's question text, so it holds whatever the order of
concurrent requests:
    [fake:STEP=ACTION>ACTION>...;STEP=...]   STEP: preference, claims, verify, no_info or all
The n-th request with the same body gets the n-th action (the last one repeats). Actions:
    ok          a valid verdict                  429       429 with Retry-After: 1
    429ms       429 with retry-after-ms: 300     500       500 (llama-server's error shape)
    529         529 overloaded (Anthropic)       timeout   answers only after --hang seconds
    truncated   JSON cut in half, finish "stop"  badschema valid JSON that breaks the schema
    length      finish_reason "length" / stop_reason "max_tokens"
    refusal     a refusal                        empty     empty content
    401         key refused                      quota     429 insufficient_quota
    ctx         400 context length exceeded      text      (Anthropic) a text block, no tool_use
    400         400 unsupported parameter     echo      500 whose message repeats the key
    big         a 200 reply of --big-bytes bytes (default 65 MiB: more than Concord accepts)
    echo400     400 whose message repeats the key after 280 characters
    echotext    content that is not JSON, repeating the key after 60 characters
    echobody    a 200 body that is not JSON, repeating the key after 60 characters
Other markers in the question: [fake:unanswerable] (the document lacks the answer) and
[fake:biased] (the preference always picks the first answer shown; also when an edited prompt
template carries it, so that two template versions judge differently). An answer containing GOOD is
preferred; one saying "not stated" declines.

--reject-json-schema answers like llama-server builds from before late 2024: any request whose
response_format has type json_schema gets HTTP 500 with llama-server's message (a bad request that
no retry fixes); other requests are answered as usual.

Usage: fake_llm_server.py [--delay S] [--hang S] [--log FILE] [--expect-key KEY] [--tls CERT KEY]
                          [--reject-json-schema] [--big-bytes N]
Prints "PORT <n>" on the first line of standard output once it listens on 127.0.0.1.
"""

import argparse
import hashlib
import json
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOCK = threading.Lock()
ATTEMPTS = {}
LOG = None


def section(text, tag):
    m = re.search(r"<%s>\n?(.*?)\n?</%s>" % (tag, tag), text, re.S)
    return m.group(1) if m else ""


def script_for(question, step):
    scripts = {}
    for m in re.finditer(r"\[fake:([^\]]*)\]", question):
        for part in m.group(1).split(";"):
            if "=" in part:
                name, actions = part.split("=", 1)
                scripts[name.strip()] = [a.strip() for a in actions.split(">") if a.strip()]
    return scripts.get(step) or scripts.get("all") or ["ok"]


def find_schema(body):
    if "tools" in body:
        return body["tools"][0].get("input_schema", {})
    rf = body.get("response_format") or {}
    if rf.get("type") == "json_schema":
        return rf.get("json_schema", {}).get("schema", {})
    if rf.get("type") == "json_object" and "schema" in rf:
        return rf["schema"]
    return body.get("json_schema", {})


def step_of(schema):
    props = schema.get("properties", {})
    if "overall" in props:
        return "preference"
    if "document_contains_answer" in props:
        return "no_info"
    if "claims" in props:
        return "verify" if props["claims"].get("items", {}).get("type") == "object" else "claims"
    return "unknown"


def declines(answer):
    a = answer.lower()
    return "not stated" in a or "does not say" in a


def verdict(step, prompt, question):
    if step == "preference":
        a1, a2 = section(prompt, "answer_1"), section(prompt, "answer_2")
        if "[fake:biased]" in prompt:  # in the question, or in an edited prompt template
            pick = "1"
        elif ("GOOD" in a1) != ("GOOD" in a2):
            pick = "1" if "GOOD" in a1 else "2"
        else:
            pick = "tie"
        return {"explanation": "Compared on relevance, comprehensiveness and conciseness.", "relevance": pick,
                "comprehensiveness": pick, "conciseness": pick, "overall": pick}
    if step == "claims":
        answer = section(prompt, "answer")
        if declines(answer):
            return {"claims": []}
        sentences = [s.strip() for s in re.split(r"(?<=\.)\s+", answer) if s.strip()]
        return {"claims": sentences[:25]}
    if step == "verify":
        document = section(prompt, "document")
        checks = []
        for line in section(prompt, "claims").splitlines():
            m = re.match(r"(\d+)\. (.*)", line)
            if not m:
                continue
            claim = m.group(2).rstrip(".").replace("GOOD ", "").replace("GOOD", "").strip()
            at = document.lower().find(claim.lower()) if claim else -1
            if at >= 0:
                # Quote it upper-cased when the claim says so, to exercise the normalised search.
                quote = document[at:at + len(claim)]
                checks.append({"claim_number": int(m.group(1)), "reasoning": "The document says so.",
                               "quote": quote.upper() if "[upper]" in question else quote, "verdict": "supported"})
            else:
                checks.append({"claim_number": int(m.group(1)), "reasoning": "The document does not say this.",
                               "quote": "", "verdict": "unsupported"})
        return {"claims": checks}
    if step == "no_info":
        return {"reasoning": "Checked the document.",
                "document_contains_answer": "[fake:unanswerable]" not in question,
                "answer_1_declines": declines(section(prompt, "answer_1")),
                "answer_2_declines": declines(section(prompt, "answer_2"))}
    return {}


def broken(step):
    if step == "preference":
        return {"explanation": "x", "relevance": "1", "comprehensiveness": "1", "conciseness": "1", "overall": "C"}
    return {"unexpected": True}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without TCP_NODELAY the second waits for the
        # client's delayed ACK (up to 40 ms), which would be measured as the client's latency.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def reply(self, status, payload, headers=()):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        # --delay counts from the request's arrival: the reply is worked out during the wait, so that
        # 32 requests arriving together are answered after the delay, not after the delay plus
        # the time every thread takes in turn (under the GIL) to build its reply.
        wait = getattr(self, "deadline", 0) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.deadline = time.monotonic() + ARGS.delay
        anthropic = self.path == "/v1/messages"
        if self.path not in ("/v1/chat/completions", "/v1/messages"):
            return self.reply(404, {"error": {"message": "no route " + self.path}})
        try:
            body = json.loads(raw)
        except ValueError:
            return self.reply(400, {"error": {"message": "bad JSON"}})
        prompt = body["messages"][-1]["content"]
        question = section(prompt, "question")
        step = step_of(find_schema(body))
        digest = hashlib.sha256(raw).hexdigest()
        with LOCK:
            attempt = ATTEMPTS.get(digest, 0)
            ATTEMPTS[digest] = attempt + 1
        actions = script_for(question, step)
        action = actions[min(attempt, len(actions) - 1)]
        key = self.headers.get("x-api-key") if anthropic else (self.headers.get("Authorization") or "")[7:]
        if LOG:
            entry = {"t": time.time(), "path": self.path, "step": step, "attempt": attempt, "action": action,
                     "question": question[:80], "hash": digest[:16],
                     "key_ok": bool(ARGS.expect_key) and key == ARGS.expect_key, "key_sent": bool(key)}
            with LOCK:
                LOG.write(json.dumps(entry) + "\n")
                LOG.flush()
        if ARGS.reject_json_schema and (body.get("response_format") or {}).get("type") == "json_schema":
            return self.reply(500, {"error": {"code": 500, "type": "server_error", "message":
                                              "response_format type must be one of \"text\" or \"json_object\", "
                                              "but got: json_schema"}})
        v = verdict(step, prompt, question)
        tool = (body.get("tools") or [{}])[0].get("name", "tool")
        finish = "stop"
        if action == "timeout":
            time.sleep(ARGS.hang)
        elif action == "429":
            return self.reply(429, {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
                              [("Retry-After", "1")])
        elif action == "429ms":
            return self.reply(429, {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
                              [("retry-after-ms", "300")])
        elif action == "500":
            return self.reply(500, {"error": {"code": 500, "message": "internal error", "type": "server_error"}})
        elif action == "529":
            return self.reply(529, {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
        elif action == "echo":
            return self.reply(500, {"error": {"message": "cannot route a request with key " + (key or "")}})
        elif action == "echo400":
            return self.reply(400, {"error": {"message": "x" * 280 + " bad key " + (key or "")}})
        elif action == "echobody":
            return self.reply(200, ("z" * 60 + " your key is " + (key or "")).encode())
        elif action == "400":
            return self.reply(400, {"error": {"message": "Unsupported parameter: 'seed'", "type": "invalid_request_error"}})
        elif action == "401":
            return self.reply(401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})
        elif action == "quota":
            return self.reply(429, {"error": {"message": "You exceeded your current quota.",
                                              "type": "insufficient_quota", "code": "insufficient_quota"}})
        elif action == "ctx":
            return self.reply(400, {"error": {"code": 400, "message": "the request exceeds the available context size",
                                              "type": "exceed_context_size_error", "n_prompt_tokens": 9000,
                                              "n_ctx": 4096}})
        elif action == "big":
            pad = max(0, ARGS.big_bytes - 100)
            return self.reply(200, b'{"choices":[{"index":0,"message":{"role":"assistant","content":"'
                              + b"x" * pad + b'"},"finish_reason":"stop"}]}')
        elif action == "badschema":
            v = broken(step)
        elif action == "length":
            finish = "length"
        content = json.dumps(v)
        if action == "truncated":
            content = content[: len(content) // 2]
        elif action == "echotext":
            content = "y" * 60 + " your key is " + (key or "")
        elif action == "empty":
            content = ""
        usage_in, usage_out = len(json.dumps(body["messages"])) // 4, len(content) // 4
        if anthropic:
            blocks = [{"type": "tool_use", "id": "toolu_1", "name": tool, "input": v}]
            stop = "tool_use"
            if action == "length":
                stop = "max_tokens"
            elif action == "refusal":
                blocks, stop = [], "refusal"
            elif action == "text":
                blocks, stop = [{"type": "text", "text": "Answer 1 is better."}], "end_turn"
            elif action == "empty":
                blocks, stop = [], "end_turn"
            elif action == "truncated":
                blocks = [{"type": "tool_use", "id": "toolu_1", "name": tool, "input": {"explanation": "cut"}}]
            return self.reply(200, {"id": "msg_1", "type": "message", "role": "assistant", "model": body["model"],
                                    "content": blocks, "stop_reason": stop,
                                    "usage": {"input_tokens": usage_in, "output_tokens": usage_out}})
        message = {"role": "assistant", "content": content}
        if action == "refusal":
            message = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
        return self.reply(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                                "usage": {"prompt_tokens": usage_in, "completion_tokens": usage_out}})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default 5 drops SYNs when 32 connections open at once


def main():
    global ARGS, LOG
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--hang", type=float, default=3.0)
    parser.add_argument("--log")
    parser.add_argument("--expect-key", default="")
    parser.add_argument("--big-bytes", type=int, default=65 * 1024 * 1024, help="the size of a 'big' reply")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS with this certificate")
    parser.add_argument("--reject-json-schema", action="store_true",
                        help="HTTP 500 for response_format json_schema, as older llama-server builds")
    ARGS = parser.parse_args()
    if ARGS.log:
        LOG = open(ARGS.log, "a", encoding="utf-8")
    server = Server(("127.0.0.1", 0), Handler)
    if ARGS.tls:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(ARGS.tls[0], ARGS.tls[1])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
