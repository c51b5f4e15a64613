/**
 * The `node:http` front end. Kept apart from the in-memory simulator so browser bundles of
 * the layer never pull in Node built-ins; `Simulator.serve` imports it. It uses the wall
 * clock and timers, and adds CORS headers so a page in a browser can call it.
 *
 * @internal
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type { Engine } from "./engine.js"
import type { SimResponse } from "./wire.js"

export interface Started {
  readonly port: number
  readonly host: string
  readonly close: () => Promise<void>
}

const CORS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
  "access-control-allow-headers": "Authorization, Content-Type, From, Accept, X-EARLY-ACCESS, User-Agent",
  "access-control-expose-headers": "X-Request-Id, ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after",
  "access-control-max-age": "600"
}

const write = (res: Http.ServerResponse, response: SimResponse): void => {
  const body = response.body ?? ""
  res.writeHead(response.status, {
    ...CORS,
    ...response.headers,
    "content-length": Buffer.byteLength(body)
  })
  res.end(body)
}

/** Starts a server for the engine on host:port (port 0 picks a free one). */
export const start = (engine: Engine, host: string, port: number): Promise<Started> =>
  new Promise((resolve, reject) => {
    const sockets = new Set<import("node:net").Socket>()
    const timers = new Set<ReturnType<typeof setTimeout>>()
    const server = Http.createServer({ keepAlive: true }, (req, res) => {
      if (req.method === "OPTIONS") {
        res.writeHead(204, CORS)
        res.end()
        return
      }
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(req.headers)) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v
        }
        const url = new URL(req.url ?? "/", `http://${req.headers.host ?? `${host}:${port}`}`)
        let outcome
        try {
          outcome = engine.dispatch({ method: req.method ?? "GET", url, headers, body: chunks.length === 0 ? "" : Buffer.concat(chunks).toString("utf8") }, Date.now())
        } catch (cause) {
          // A bug in a route must not take the server down; answer like PagerDuty's 500.
          write(res, { status: 500, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: { message: "Internal Error", code: 2000, errors: [String(cause)] } }) })
          return
        }
        const act = () => {
          switch (outcome._tag) {
            case "Respond":
              return write(res, outcome.response)
            case "Drop": {
              // Promise the whole body, send half of it, then cut the connection.
              const raw = outcome.partial.body ?? "{}"
              const body = typeof raw === "string" ? Buffer.from(raw) : raw
              res.writeHead(outcome.partial.status, { ...CORS, ...outcome.partial.headers, "content-length": body.byteLength })
              res.write(body.subarray(0, Math.max(1, Math.floor(body.byteLength / 2))))
              res.socket?.destroy()
              return
            }
            case "Hang":
              // Never answer; the socket is destroyed when the client gives up or the server closes.
              return
          }
        }
        if (outcome.delayMs > 0) {
          const t = setTimeout(() => {
            timers.delete(t)
            act()
          }, outcome.delayMs)
          timers.add(t)
        } else {
          act()
        }
      })
    })
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    })
    server.once("error", reject)
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo
      resolve({
        port: address.port,
        host,
        close: () =>
          new Promise<void>((done) => {
            for (const t of timers) clearTimeout(t)
            timers.clear()
            server.close(() => done())
            for (const s of sockets) s.destroy()
          })
      })
    })
  })
