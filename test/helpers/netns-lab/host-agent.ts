import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import type { AgentCommand, AgentReply, LabProbe, LabProbeResult, LabService } from './lab-protocol';

// One host of the kernel lab, started by lab-driver.ts in a network
// namespace of its own (`unshare -n`): it listens on the services it is
// given (TCP accepts and closes, UDP echoes) and probes other hosts from
// its own address when asked. It speaks JSON lines on stdin and stdout.

const servers: (Server | UdpSocket)[] = [];

function reply(message: AgentReply): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function listen(services: readonly LabService[]): Promise<void> {
  for (const service of services) {
    await new Promise<void>((resolve, reject) => {
      if (service.proto === 'tcp') {
        const server = createServer((socket) => socket.on('error', () => undefined).end());
        server.once('error', reject);
        server.listen({ host: '0.0.0.0', port: service.port }, () => resolve());
        servers.push(server);
      } else {
        const socket = createSocket('udp4');
        socket.on('message', (message, peer) => socket.send(message, peer.port, peer.address));
        socket.once('error', reject);
        socket.bind({ address: '0.0.0.0', port: service.port }, () => resolve());
        servers.push(socket);
      }
    });
  }
}

/** A TCP connection: reached when it connects, or when the host answers with a reset (the packet got through). */
function probeTcp(probe: LabProbe, timeoutMs: number): Promise<LabProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: probe.to, port: probe.port, localAddress: probe.from });
    const done = (reached: boolean, detail: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ id: probe.id, reached, detail });
    };
    const timer = setTimeout(() => done(false, 'timeout'), timeoutMs);
    socket.once('connect', () => done(true, 'connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED', error.code ?? error.message));
  });
}

/** A UDP datagram, sent again every few hundred ms (a first one may meet an unresolved neighbour), reached when echoed. */
function probeUdp(probe: LabProbe, timeoutMs: number): Promise<LabProbeResult> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const payload = Buffer.from(`flowfence probe ${probe.id}`);
    let resend: NodeJS.Timeout | undefined;
    const done = (reached: boolean, detail: string): void => {
      clearTimeout(timer);
      clearInterval(resend);
      socket.close();
      resolve({ id: probe.id, reached, detail });
    };
    const timer = setTimeout(() => done(false, 'timeout'), timeoutMs);
    socket.on('message', (message) => {
      if (message.equals(payload)) done(true, 'echoed');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(false, error.code ?? error.message));
    socket.bind({ address: probe.from, port: 0 }, () => {
      const send = (): void => socket.send(payload, probe.port, probe.to);
      send();
      resend = setInterval(send, Math.max(50, Math.floor(timeoutMs / 5)));
    });
  });
}

async function handle(command: AgentCommand): Promise<void> {
  switch (command.op) {
    case 'listen':
      await listen(command.services);
      reply({ op: 'listening' });
      return;
    case 'probe': {
      const { probe, timeoutMs } = command;
      reply({ op: 'result', result: await (probe.proto === 'tcp' ? probeTcp(probe, timeoutMs) : probeUdp(probe, timeoutMs)) });
      return;
    }
    case 'exit':
      for (const server of servers) server.close();
      process.exit(0);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  handle(JSON.parse(line) as AgentCommand).catch((error: unknown) => reply({ op: 'error', message: error instanceof Error ? error.message : String(error) }));
});
process.stdin.on('end', () => process.exit(0));
reply({ op: 'hello', pid: process.pid });
