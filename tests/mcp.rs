//! `demarc mcp` end to end: the real binary speaking JSON-RPC over its
//! stdin and stdout, on the sample repository; every tool's structured
//! answer must equal the CLI's `--json` for the same query.

mod support;

use serde_json::{Value, json};
use support::mcp::Client;
use support::{MINIMAL, TestRepo, run, stderr, stdout};
use tempfile::TempDir;

fn sample() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    demarc::sample::build(&dir.path().join("nw")).unwrap();
    dir
}

/// The CLI's JSON and exit code for `args`.
fn cli_json(repo: &std::path::Path, args: &[&str]) -> (i32, Value) {
    let out = run(repo, args);
    let json = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stderr(&out)));
    (out.status.code().unwrap(), json)
}

/// The tool's structured answer, checked against its text: the text is the
/// same JSON, sanitized.
fn structured(result: &Value) -> Value {
    let content = result["content"].as_array().expect("content");
    let text = content.last().unwrap()["text"].as_str().unwrap();
    let from_text: Value = serde_json::from_str(text).expect("the text is JSON");
    assert_eq!(from_text, result["structuredContent"]);
    result["structuredContent"].clone()
}

fn is_error(result: &Value) -> bool {
    result["isError"] == json!(true)
}

#[test]
fn every_tool_answers_what_the_cli_answers() {
    let dir = sample();
    let repo = dir.path().join("nw");
    let (mut client, init) = Client::initialized(&repo, &[]);
    assert_eq!(init["result"]["serverInfo"]["name"], "demarc");
    assert_eq!(init["result"]["protocolVersion"], "2025-06-18");
    assert!(init["result"]["capabilities"]["tools"].is_object());
    assert!(init["result"]["capabilities"]["resources"].is_object());

    let tools = client.request("tools/list", json!({}))["result"]["tools"].clone();
    let names: Vec<&str> = (tools.as_array().unwrap().iter())
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["who", "search", "history", "diff", "check", "team_scope"]
    );
    for t in tools.as_array().unwrap() {
        assert_eq!(t["inputSchema"]["type"], "object", "{t}");
        assert_eq!(t["annotations"]["readOnlyHint"], true, "{t}");
        assert!(t["description"].as_str().unwrap().contains("--json"), "{t}");
    }
    assert_eq!(tools[0]["inputSchema"]["required"], json!(["query"]));
    assert_eq!(
        tools[0]["inputSchema"]["properties"]["query"]["type"],
        "string"
    );

    // (tool, arguments, the CLI's arguments for the same question)
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        ("who", json!({"query": "kafka"}), vec!["who", "kafka"]),
        (
            "who",
            json!({"query": "kafka", "at": "2026-03-01"}),
            vec!["--at", "2026-03-01", "who", "kafka"],
        ),
        (
            "who",
            json!({"query": "pods OOMKilled"}),
            vec!["who", "pods OOMKilled"],
        ),
        (
            "search",
            json!({"query": "kfk", "limit": 5}),
            vec!["search", "kfk", "--limit", "5"],
        ),
        (
            "search",
            json!({"query": "postgres"}),
            vec!["search", "postgres"],
        ),
        ("history", json!({}), vec!["history"]),
        (
            "history",
            json!({"team": "platform-data", "since": "2026-01-01", "limit": 3}),
            vec![
                "history",
                "--team",
                "platform-data",
                "--since",
                "2026-01-01",
            ],
        ),
        (
            "history",
            json!({"component": "kafka", "limit": 100}),
            vec!["history", "--component", "kafka"],
        ),
        (
            "diff",
            json!({"from": "HEAD~12", "to": "HEAD"}),
            vec!["diff", "HEAD~12", "HEAD"],
        ),
        (
            "diff",
            json!({"from": "HEAD~12", "to": "HEAD", "team": "platform-data"}),
            vec!["diff", "HEAD~12", "HEAD", "--team", "platform-data"],
        ),
        ("diff", json!({"from": "HEAD~3"}), vec!["diff", "HEAD~3"]),
        ("check", json!({}), vec!["check"]),
        (
            "team_scope",
            json!({"id": "checkout"}),
            vec!["team", "checkout"],
        ),
        (
            "team_scope",
            json!({"id": "platform-streaming"}),
            vec!["team", "platform-streaming"],
        ),
    ];
    for (tool, args, cli) in cases {
        let result = client.call(tool, args.clone());
        let mut cli = cli.clone();
        cli.push("--json");
        let (code, mut expected) = cli_json(&repo, &cli);
        assert_eq!(code, 0, "{cli:?}");
        // history's limit (20 when not given) keeps the newest commits.
        if tool == "history" {
            let n = args["limit"].as_u64().unwrap_or(20) as usize;
            expected["commits"].as_array_mut().unwrap().truncate(n);
        }
        assert!(!is_error(&result), "{tool} {args}: {result}");
        assert_eq!(structured(&result), expected, "{tool} {args}");
    }

    // The trust the CLI's answers carry reaches the assistant: how sure
    // each match is, and which files did not load.
    let who = structured(&client.call("who", json!({"query": "kafka"})));
    assert_eq!(who["matches"][0]["match"], "exact");
    assert_eq!(who["incomplete"], json!([]));
    let search = structured(&client.call("search", json!({"query": "kfk"})));
    assert!(search["results"][0]["match"].is_string(), "{search}");

    // A filter on diff keeps the changes that involve the team.
    let all = structured(&client.call("diff", json!({"from": "HEAD~12", "to": "HEAD"})));
    let data = structured(&client.call(
        "diff",
        json!({"from": "HEAD~12", "to": "HEAD", "team": "platform-data"}),
    ));
    let changes = data["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    assert!(changes.len() < all["changes"].as_array().unwrap().len());
    for c in changes {
        assert!(all["changes"].as_array().unwrap().contains(c));
    }
    assert!(client.close().success());
}

#[test]
fn the_cli_s_exit_codes_are_tool_errors_with_its_messages() {
    let dir = sample();
    let repo = dir.path().join("nw");
    let (mut client, _) = Client::initialized(&repo, &[]);

    // Exit 1, nothing found: a tool error that still carries the JSON, the
    // CLI's plain answer first.
    let result = client.call("who", json!({"query": "zzqqxxw"}));
    assert!(is_error(&result), "{result}");
    let (code, expected) = cli_json(&repo, &["who", "zzqqxxw", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(structured(&result), expected);
    let plain = stdout(&run(&repo, &["who", "zzqqxxw"]));
    assert_eq!(result["content"][0]["text"], plain.as_str());

    let result = client.call("search", json!({"query": "zzqqxxwwvv"}));
    assert!(is_error(&result), "{result}");
    assert_eq!(structured(&result)["total"], 0);

    // Exit 2: a tool error with the CLI's one sentence.
    for (tool, args, cli) in [
        (
            "team_scope",
            json!({"id": "platfrom-data"}),
            vec!["team", "platfrom-data"],
        ),
        (
            "history",
            json!({"since": "last tuesday"}),
            vec!["history", "--since", "last tuesday"],
        ),
        (
            "diff",
            json!({"from": "no-such-rev"}),
            vec!["diff", "no-such-rev"],
        ),
        (
            "who",
            json!({"query": "kafka", "at": "yesterday"}),
            vec!["--at", "yesterday", "who", "kafka"],
        ),
    ] {
        let result = client.call(tool, args.clone());
        assert!(is_error(&result), "{tool} {args}: {result}");
        assert!(result.get("structuredContent").is_none(), "{result}");
        let out = run(&repo, &cli);
        assert_eq!(out.status.code(), Some(2), "{cli:?}");
        let sentence = stderr(&out);
        let sentence = sentence.trim_end().trim_start_matches("demarc: ");
        assert_eq!(result["content"][0]["text"], sentence, "{tool} {args}");
    }
    assert!(client.close().success());
}

#[test]
fn the_format_and_the_runbook_are_resources() {
    let dir = sample();
    let (mut client, _) = Client::initialized(&dir.path().join("nw"), &[]);
    let list = client.request("resources/list", json!({}));
    let uris: Vec<&str> = (list["result"]["resources"].as_array().unwrap().iter())
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, ["demarc://docs/format.md", "demarc://docs/triage.md"]);
    for (uri, text) in [
        ("demarc://docs/format.md", include_str!("../docs/format.md")),
        ("demarc://docs/triage.md", include_str!("../docs/triage.md")),
    ] {
        let read = client.request("resources/read", json!({"uri": uri}));
        let contents = &read["result"]["contents"][0];
        assert_eq!(contents["uri"], uri);
        assert_eq!(contents["mimeType"], "text/markdown");
        assert_eq!(contents["text"], text);
    }
    let missing = client.request("resources/read", json!({"uri": "file:///etc/passwd"}));
    assert!(
        missing["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no resource")
    );
    assert!(client.close().success());
}

#[test]
fn bad_requests_are_protocol_errors_and_the_server_goes_on() {
    let dir = sample();
    let (mut client, _) = Client::initialized(&dir.path().join("nw"), &[]);
    let huge = "k".repeat(100_000);
    let many = vec!["a"; 400];
    let bad: Vec<(Value, &str)> = vec![
        (
            json!({"name": "rm", "arguments": {}}),
            "no tool named \"rm\"",
        ),
        (
            json!({"name": "who", "arguments": {"query": 42}}),
            "invalid type",
        ),
        (
            json!({"name": "who", "arguments": {}}),
            "missing field `query`",
        ),
        (
            json!({"name": "who", "arguments": {"query": "kafka", "rev": "HEAD"}}),
            "unknown field `rev`",
        ),
        (
            json!({"name": "search", "arguments": {"query": "kafka", "limit": -1}}),
            "invalid value",
        ),
        (
            json!({"name": "search", "arguments": {"query": "kafka", "limit": 1000000}}),
            "from 1 to 1000",
        ),
        (
            json!({"name": "who", "arguments": {"query": huge}}),
            "\"query\" is longer than 1000 characters",
        ),
        (
            json!({"name": "history", "arguments": {"team": many}}),
            "\"team\" is longer than 1000 characters",
        ),
    ];
    for (params, says) in bad {
        let msg = client.request("tools/call", params.clone());
        assert_eq!(msg["error"]["code"], -32602, "{msg}");
        let message = msg["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    }
    let unknown = client.request("no/such/method", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    // Not JSON, the wrong shape, and a message over the 1 MiB cap: no
    // answer can name them, and the session goes on.
    client.send_line("this is not json");
    client.send_line("{\"jsonrpc\": \"2.0\", \"id\": [1], \"method\": 5}");
    client.send_line(&format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":999,\"method\":\"tools/call\",\"params\":{{\"name\":\"who\",\"arguments\":{{\"query\":\"{}\"}}}}}}",
        "x".repeat(2 * 1024 * 1024)
    ));
    let result = client.call("who", json!({"query": "kafka"}));
    assert_eq!(structured(&result)["matches"][0]["id"], "kafka");
    assert!(client.close().success());
    assert!(!client.stderr().contains("panicked"));
}

#[test]
fn a_client_that_hangs_up_mid_call_ends_the_server_cleanly() {
    let dir = sample();
    let (mut client, _) = Client::initialized(&dir.path().join("nw"), &[]);
    client.send(
        "tools/call",
        json!({"name": "history", "arguments": {"limit": 1000}}),
    );
    client.send(
        "tools/call",
        json!({"name": "who", "arguments": {"query": "postgres"}}),
    );
    let status = client.close();
    assert!(status.success(), "{status:?}");
    assert!(!client.stderr().contains("panicked"));

    // A request before initialize is answered with an error, and the
    // session can still begin.
    let mut client = Client::start(&dir.path().join("nw"), &[]);
    let early = client.request("tools/list", json!({}));
    assert!(early["error"]["code"].is_number(), "{early}");
    let init = client.request(
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {},
               "clientInfo": {"name": "late", "version": "1"}}),
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "demarc");
    assert!(client.close().success());

    // And one that leaves before saying anything.
    let mut client = Client::start(&dir.path().join("nw"), &[]);
    assert!(client.close().success());
}

#[test]
fn the_server_serves_the_repository_and_version_it_was_given() {
    let repo = TestRepo::new();
    repo.write_all("ownership/", MINIMAL);
    repo.commit("first", "2026-01-10T10:00:00Z");
    repo.write(
        "ownership/components/apps.toml",
        "[[component]]\nid = \"checkout-api\"\nname = \"Checkout API\"\nlayer = \"application\"\nowner = \"platform-data\"\n",
    );
    repo.commit("move checkout-api", "2026-02-10T10:00:00Z");
    let args = ["--dir", "ownership", "--rev", "HEAD~1"];
    let (mut client, _) = Client::initialized(repo.path(), &args);
    let result = client.call("team_scope", json!({"id": "checkout"}));
    let mut cli = args.to_vec();
    cli.extend(["team", "checkout", "--json"]);
    assert_eq!(structured(&result), cli_json(repo.path(), &cli).1);
    assert_eq!(structured(&result)["owns"][0]["id"], "checkout-api");
    assert!(client.close().success());

    // A folder that is not an ownership repository is said at once.
    let nothing = tempfile::tempdir().unwrap();
    let out = run(
        nothing.path(),
        &["-C", "/nonexistent/demarc-test-path", "mcp"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).is_empty());
}

#[test]
fn what_reaches_the_output_cannot_drive_a_terminal() {
    let repo = TestRepo::new();
    repo.write_all("", MINIMAL);
    repo.write(
        "teams/checkout.toml",
        "name = \"Check\\u009b2Jout\\u202e\"\nkind = \"product\"\nlead = \"Eve\\u001b]52;c;aGk=\\u0007\"\n",
    );
    repo.commit("hostile names", "2026-01-10T10:00:00Z");
    let (mut client, _) = Client::initialized(repo.path(), &[]);
    let id = client.send(
        "tools/call",
        json!({"name": "team_scope", "arguments": {"id": "checkout"}}),
    );
    let raw = client.read_line();
    for c in ['\u{9b}', '\u{202e}', '\u{1b}', '\u{7}'] {
        assert!(!raw.contains(c), "{c:?} raw in {raw:?}");
    }
    let msg: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(msg["id"], id);
    // The data is intact once parsed.
    let j = structured(&msg["result"]);
    assert_eq!(j["name"], "Check\u{9b}2Jout\u{202e}");
    assert_eq!(j["lead"], "Eve\u{1b}]52;c;aGk=\u{7}");
    assert!(client.close().success());
}
