import { WebSocket, type RawData } from 'ws'
import type { SessionUser } from '../../auth.ts'
import { userConnections, type CountedConnection } from '../../limits/user-connections.ts'
import { countWebSocket } from '../../metrics.ts'
import type { SessionCredentials, SessionWatch, WatchedSession } from '../../session-watch.ts'
import { EventStreamSocket } from './event-stream-socket.ts'
import type { KeepAlive } from './keep-alive.ts'
import { SESSION_ENDED_CLOSE_CODE, TOO_MANY_CONNECTIONS_CLOSE_CODE, TOO_MANY_CONNECTIONS_MESSAGE } from './socket-protocol.ts'
import { SocketRequests } from './socket-requests.ts'

/**
 * One signed-in socket and everything it holds: its requests, its event streams, its place in the
 * keep-alive sweep, in the session re-checks and in its user's connection limit, all let go when
 * it closes. Every request on it runs as the user of the upgrade, so it closes when that session
 * ends. What an idle socket costs beyond `ws` is this object and its parts (bench/README.md).
 */
export class SignedInSocket implements WatchedSession, CountedConnection {
  readonly userId: string
  private readonly streams: EventStreamSocket
  private readonly requests: SocketRequests

  constructor(
    private readonly socket: WebSocket,
    user: SessionUser,
    readonly credentials: SessionCredentials,
    private readonly keepAlive: KeepAlive,
    private readonly sessions: SessionWatch,
  ) {
    this.userId = user.id
    this.streams = new EventStreamSocket(socket, user)
    this.requests = new SocketRequests(socket, user, credentials, this.streams)
    countWebSocket(1)
    keepAlive.track(socket)
    sessions.watch(this)
    userConnections().open(this)
    socket.on('message', (data, isBinary) => this.receive(data, isBinary))
    socket.once('close', () => this.closed())
    // A protocol error (an oversized frame, say): ws closes the socket with the matching code.
    socket.on('error', ignore)
  }

  sessionEnded(): void {
    this.socket.close(SESSION_ENDED_CLOSE_CODE, 'Session ended')
  }

  displaced(): void {
    this.socket.close(TOO_MANY_CONNECTIONS_CLOSE_CODE, TOO_MANY_CONNECTIONS_MESSAGE)
  }

  private receive(data: RawData, isBinary: boolean): void {
    // Closing (told to go, or flooding): whatever still arrives is not read.
    if (this.socket.readyState !== WebSocket.OPEN) return
    this.keepAlive.heard(this.socket)
    if (isBinary) return this.socket.close(1003, 'Text frames only')
    const frame = String(data)
    if (frame === 'PONG') return
    if (frame === 'PING') return this.requests.ping()
    this.requests.receive(frame)
  }

  private closed(): void {
    this.requests.closed()
    this.streams.closed()
    this.sessions.unwatch(this)
    userConnections().closed(this)
    this.keepAlive.forget(this.socket)
    countWebSocket(-1)
  }
}

function ignore(): void {}
