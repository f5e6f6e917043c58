// Tests for local/ports.ts: a port held by a server is busy, and the search gives up with the setting to change.
import net from 'node:net';
import { freePort, pickPorts, portIsFree, PortError, PORT_SEARCH_SPAN } from '../../local/ports';

describe('portIsFree', () => {
  it('is false while a server listens on the port and true once it has closed', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await portIsFree(port, '127.0.0.1')).toBe(false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await portIsFree(port, '127.0.0.1')).toBe(true);
    expect(await portIsFree(await freePort(), '127.0.0.1')).toBe(true);
  });
});

describe('pickPorts', () => {
  it('gives up after the search span, naming the setting', async () => {
    const wish = { what: 'the API', setting: 'PORT', port: 7071, pinned: false, hosts: ['127.0.0.1'] };
    await expect(pickPorts([wish], () => Promise.resolve(false))).rejects.toThrow(
      new PortError(`No free port for the API in 7071-${7071 + PORT_SEARCH_SPAN - 1}; set PORT to a free port.`),
    );
  });

  it('counts a port as free only when it is free on every host', async () => {
    const wish = { what: 'the task pane', setting: 'X', port: 3000, pinned: false, hosts: ['127.0.0.1', '::1'] };
    const ipv6Busy = (port: number, host: string): Promise<boolean> =>
      Promise.resolve(!(port === 3000 && host === '::1'));
    expect(await pickPorts([wish], ipv6Busy)).toEqual([3001]);
  });

  it('refuses a pinned port that an earlier service already took', async () => {
    const a = { what: 'the API', setting: 'PORT', port: 4000, pinned: true, hosts: ['127.0.0.1'] };
    const b = {
      what: 'the task pane',
      setting: 'LEDGERDESK_TASKPANE_PORT',
      port: 4000,
      pinned: true,
      hosts: ['127.0.0.1'],
    };
    await expect(pickPorts([a, b], () => Promise.resolve(true))).rejects.toThrow(/LEDGERDESK_TASKPANE_PORT pins it/);
  });
});
