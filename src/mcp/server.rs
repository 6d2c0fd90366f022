//! The MCP handler: what the server says it is, its tools and resources.
//! Tool calls run on tokio's blocking pool, so the git work never stalls
//! the protocol loop (a cancellation or the end of input is still read).

use super::{resources, tools};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListResourcesResult, ListToolsResult,
    PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult,
    ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};

pub struct Server {
    target: tools::Target,
}

impl Server {
    pub fn new(target: tools::Target) -> Server {
        Server { target }
    }
}

const INSTRUCTIONS: &str = "demarc answers \"who owns this?\" from an ownership repository \
(TOML in git), offline and read-only. Start with `who` for a component, a symptom or a team: \
it gives the owner, who to page and the escalation ladder. A match marked \"fuzzy\" is a guess: \
say so. `incomplete` lists data files that did not load. The resources explain the format and \
the triage runbook.";

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .build(),
        )
        .with_server_info(
            Implementation::new("demarc", env!("CARGO_PKG_VERSION")).with_title("demarc"),
        )
        .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::list()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let target = self.target.clone();
        let name = request.name.to_string();
        let arguments = request.arguments;
        tokio::task::spawn_blocking(move || tools::call(&target, &name, arguments))
            .await
            .map_err(|e| ErrorData::internal_error(format!("The tool failed: {e}."), None))?
            .map(CallToolResponse::from)
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        Ok(ListResourcesResult::with_all_items(resources::list()))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        match resources::read(&request.uri) {
            Some(contents) => Ok(ReadResourceResult::new(vec![contents]).into()),
            None => Err(ErrorData::resource_not_found(
                format!(
                    "There is no resource \"{}\"; resources/list names them.",
                    crate::sanitize::line(&request.uri)
                ),
                None,
            )),
        }
    }
}
