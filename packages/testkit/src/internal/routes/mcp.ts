/**
 * The MCP server route (`POST /mcp`, JSON-RPC 2.0). `tools/list` is answered with a JSON
 * body; `tools/call` with a `text/event-stream` (SSE) body carrying the JSON-RPC response,
 * as streamable-HTTP MCP servers may do; unknown methods get a JSON-RPC error (-32601),
 * malformed requests -32600, unknown tools -32602.
 *
 * @internal
 */
import type { Route } from "../router.js"
import { asObject, json, parseJsonObject, type SimResponse } from "../wire.js"

const tools = [
  { name: "list_incidents", description: "List incidents", inputSchema: { type: "object", properties: { status: { type: "string" } } } },
  { name: "get_user", description: "Get the current user", inputSchema: { type: "object", properties: {} } }
]

const rpcError = (id: unknown, code: number, message: string): SimResponse =>
  json(200, { jsonrpc: "2.0", id: id ?? null, error: { code, message } })

const sse = (message: unknown): SimResponse => ({
  status: 200,
  headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  body: `: simulator\n\nevent: message\ndata: ${JSON.stringify(message)}\n\n`
})

export const routes: ReadonlyArray<Route> = [{
  method: "POST",
  path: "/mcp",
  auth: "rest",
  handle: (ctx) => {
    const body = parseJsonObject(ctx.req.body)
    if (body === undefined || body["jsonrpc"] !== "2.0" || typeof body["method"] !== "string") {
      return rpcError(body?.["id"], -32600, "Invalid Request")
    }
    const id = body["id"]
    switch (body["method"]) {
      case "tools/list":
        return json(200, { jsonrpc: "2.0", id, result: { tools } })
      case "tools/call": {
        const params = asObject(body["params"])
        const name = params?.["name"]
        if (name === "list_incidents") {
          const status = asObject(params?.["arguments"])?.["status"]
          const incidents: Array<{ id: string; title: string; status: string }> = []
          for (let i = 0; i < ctx.state.incidentCount && incidents.length < 10; i++) {
            const rec = ctx.state.incident(i)
            if (status === undefined || rec.status === status) incidents.push({ id: rec.id, title: rec.title, status: rec.status })
          }
          return sse({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: JSON.stringify(incidents) }], isError: false } })
        }
        if (name === "get_user") {
          const user = ctx.caller?.userId == null ? undefined : ctx.state.users.get(ctx.caller.userId)
          return sse({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: JSON.stringify(user ?? null) }], isError: false } })
        }
        return rpcError(id, -32602, `Unknown tool: ${String(name)}`)
      }
      default:
        return rpcError(id, -32601, "Method not found")
    }
  }
}]
