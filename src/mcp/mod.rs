//! `demarc mcp`: a Model Context Protocol server over stdio, so assistants
//! and chat bots get the CLI's answers (the same functions, the same JSON),
//! offline and read-only. Built on the official Rust SDK (rmcp). tokio
//! lives here and nowhere else: one current-thread runtime, with the
//! blocking pool for the git work of tool calls.

mod resources;
mod server;
pub mod tools;

pub use tools::Target;

use rmcp::ServiceExt;
use rmcp::service::ServerInitializeError;
use rmcp::transport::async_rw::AsyncRwTransport;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

/// The longest message read from the client, in bytes. A longer line is
/// dropped unread (no id can be known, so no answer can name it) and the
/// session goes on.
pub const MAX_MESSAGE: usize = 1024 * 1024;

/// Threads for tool calls running at once.
const TOOL_THREADS: usize = 2;

/// Serves until the client closes standard input. A client that leaves
/// before initializing is not an error.
pub fn serve(target: Target) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(TOOL_THREADS + 1)
        .build()
        .map_err(|e| format!("Cannot start the MCP server: {e}."))?;
    let outcome = runtime.block_on(session(target, tokio::io::stdin(), tokio::io::stdout()));
    // A read of stdin may still block a pool thread; nothing waits for it.
    runtime.shutdown_background();
    outcome
}

async fn session<R, W>(target: Target, input: R, output: W) -> Result<(), String>
where
    R: AsyncRead + Send + Unpin + 'static,
    W: AsyncWrite + Send + Unpin + 'static,
{
    // rmcp writes into one end of a pipe; `pump` cleans each message on
    // its way to the real output.
    let (to_pump, from_server) = tokio::io::duplex(64 * 1024);
    let pump = tokio::spawn(pump(from_server, output));
    let transport = AsyncRwTransport::<rmcp::RoleServer, _, _>::new(input, to_pump)
        .with_max_line_length(MAX_MESSAGE);
    let outcome = match server::Server::new(target).serve(transport).await {
        Ok(running) => running
            .waiting()
            .await
            .map(|_| ())
            .map_err(|e| format!("The MCP server stopped: {e}.")),
        Err(ServerInitializeError::ConnectionClosed(_)) => Ok(()),
        Err(ServerInitializeError::ExpectedInitializeRequest(_)) => Err(
            "The client's first message was not initialize; an MCP session starts with it."
                .to_string(),
        ),
        Err(e) => Err(format!("The MCP session did not start: {e}.")),
    };
    // The transport is dropped: the pump writes what is left, then ends.
    let _ = pump.await;
    outcome
}

/// Copies the server's messages (one JSON value a line) to `output`, with
/// every character that could drive a terminal escaped, as the CLI's JSON
/// is: someone may well run `demarc mcp` by hand in one.
async fn pump<R, W>(from_server: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut lines = BufReader::new(from_server);
    let mut line = Vec::new();
    loop {
        line.clear();
        match lines.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let clean = crate::cli::output::escape_unsafe(&String::from_utf8_lossy(&line));
        if output.write_all(clean.as_bytes()).await.is_err() || output.flush().await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn the_pump_escapes_what_could_drive_a_terminal_and_keeps_lines() {
        let out = block_on(async {
            let (mut server, from_server) = tokio::io::duplex(1024);
            let (to_test, mut read_back) = tokio::io::duplex(4096);
            let pump = tokio::spawn(pump(from_server, to_test));
            server
                .write_all("{\"a\":\"x\u{9b}2J\u{202e}\u{7f}é\"}\n{\"b\":1}\n".as_bytes())
                .await
                .unwrap();
            drop(server);
            pump.await.unwrap();
            let mut out = String::new();
            read_back.read_to_string(&mut out).await.unwrap();
            out
        });
        assert_eq!(out, "{\"a\":\"x\\u009b2J\\u202e\\u007fé\"}\n{\"b\":1}\n");
    }

    #[test]
    fn a_session_ends_cleanly_when_the_input_ends_before_initialize() {
        let outcome = block_on(async {
            let (client, server_in) = tokio::io::duplex(1024);
            drop(client);
            let (server_out, _read) = tokio::io::duplex(1024);
            session(Target::default(), server_in, server_out).await
        });
        assert_eq!(outcome, Ok(()));
    }
}
