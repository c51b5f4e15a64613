/**
 * A real node:http server on 127.0.0.1 (port 0) for transport-level tests, closed with its scope.
 */
import { Effect } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

export interface Server {
  readonly url: string
  readonly seen: Array<Seen>
}

export const serve = (handler: (req: Seen, res: http.ServerResponse, n: number) => void) =>
  Effect.acquireRelease(
    Effect.async<Server & { readonly srv: http.Server }>((resume) => {
      const seen: Array<Seen> = []
      const srv = http.createServer((req, res) => {
        let body = ""
        req.on("data", (c) => (body += c))
        req.on("end", () => {
          const record: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body }
          seen.push(record)
          handler(record, res, seen.length)
        })
      })
      srv.listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as AddressInfo
        resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, seen, srv }))
      })
    }),
    ({ srv }) =>
      Effect.async<void>((resume) => {
        srv.closeAllConnections()
        srv.close(() => resume(Effect.void))
      })
  )
