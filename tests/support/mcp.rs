//! A minimal MCP client for tests: the real binary as a child process,
//! JSON-RPC lines on its stdin and stdout, and a timeout on every read so
//! a server that stops answering fails the test instead of hanging it.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Generous: CI shares two cores with other builds.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: u64,
}

impl Client {
    /// Starts `demarc ARGS mcp` in `cwd`.
    pub fn start(cwd: &Path, args: &[&str]) -> Client {
        let mut child = Command::new(super::demarc_bin())
            .args(args)
            .arg("mcp")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start demarc mcp");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            lines,
            next_id: 1,
        }
    }

    /// Starts the server and goes through the handshake.
    pub fn initialized(cwd: &Path, args: &[&str]) -> (Client, Value) {
        let mut client = Client::start(cwd, args);
        let init = client.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "demarc-tests", "version": "1"}}),
        );
        client.notify("notifications/initialized", json!({}));
        (client, init)
    }

    pub fn send_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_line(&msg.to_string());
    }

    /// Sends a request without waiting; returns its id.
    pub fn send(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_line(&msg.to_string());
        id
    }

    /// The next message from the server, raw.
    pub fn read_line(&mut self) -> String {
        match self.lines.recv_timeout(TIMEOUT) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in {TIMEOUT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Waits for the response to request `id` (the whole message),
    /// skipping notifications.
    pub fn response(&mut self, id: u64) -> Value {
        loop {
            let msg: Value = serde_json::from_str(&self.read_line()).expect("a JSON message");
            if msg["id"] == json!(id) {
                return msg;
            }
        }
    }

    /// Sends a request and returns its whole response message.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        self.response(id)
    }

    /// tools/call; returns the result (panics on a protocol error).
    pub fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let msg = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        assert!(msg.get("error").is_none(), "{tool}: {msg}");
        msg["result"].clone()
    }

    /// Closes the server's input and waits for it to exit.
    pub fn close(&mut self) -> ExitStatus {
        self.stdin.take();
        self.wait()
    }

    /// Waits for the server to exit, at most `TIMEOUT`.
    pub fn wait(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < TIMEOUT, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn stderr(&mut self) -> String {
        let mut out = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut out);
        }
        out
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
