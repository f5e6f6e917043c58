// TCP ports for `npm start` and tests: free ones from the OS, and the next free one from a default unless a setting pins it.
import net from 'node:net';

/** A port that was free a moment ago: the OS picks it, we release it, the caller binds it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on `host` right now (we bind it and let go at once). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT')
        resolve(true); // no such address here
      else reject(err);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** How many ports above the default `npm start` tries before it gives up on a service. */
export const PORT_SEARCH_SPAN = 100;

/** A port `npm start` binds: its default, and the setting that pins it (when set, busy means stop, not move). */
export interface PortWish {
  /** What listens there, for messages: "the API", "Azurite's blob service". */
  what: string;
  /** The setting that pins it, named in the message when the pinned port is busy. */
  setting: string;
  /** The port wanted: the pinned value, or the default to search upwards from. */
  port: number;
  pinned: boolean;
  /** Hosts it binds; a port counts as free only when free on each. */
  hosts: readonly string[];
}

export class PortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortError';
  }
}

/**
 * The port for each wish, in order: a pinned one as it is (a PortError naming its setting when busy or already taken
 * by an earlier wish), an unpinned one the first free port from its default upwards that no earlier wish took.
 */
export async function pickPorts(
  wishes: readonly PortWish[],
  isFree: (port: number, host: string) => Promise<boolean> = portIsFree,
): Promise<number[]> {
  const taken = new Set<number>();
  const freeEverywhere = async (port: number, hosts: readonly string[]): Promise<boolean> => {
    for (const host of hosts) if (!(await isFree(port, host))) return false;
    return true;
  };
  const picked: number[] = [];
  for (const wish of wishes) {
    if (wish.pinned && wish.port === 0) {
      picked.push(0); // 0 asks the OS for any free port when the service binds
      continue;
    }
    if (wish.pinned) {
      if (taken.has(wish.port) || !(await freeEverywhere(wish.port, wish.hosts))) {
        throw new PortError(
          `Port ${wish.port} for ${wish.what} is in use, and ${wish.setting} pins it there. ` +
            `Stop what uses port ${wish.port}, or change ${wish.setting} (or unset it, and npm start picks a free port).`,
        );
      }
      taken.add(wish.port);
      picked.push(wish.port);
      continue;
    }
    let port: number | undefined;
    for (let p = wish.port; p < wish.port + PORT_SEARCH_SPAN && p <= 65535; p++) {
      if (!taken.has(p) && (await freeEverywhere(p, wish.hosts))) {
        port = p;
        break;
      }
    }
    if (port === undefined) {
      throw new PortError(
        `No free port for ${wish.what} in ${wish.port}-${wish.port + PORT_SEARCH_SPAN - 1}; set ${wish.setting} to a free port.`,
      );
    }
    taken.add(port);
    picked.push(port);
  }
  return picked;
}
