// A stateful fake LuxOS (LUXminer) API on 127.0.0.1 port 0: one JSON request per connection, a
// cgminer envelope reply with its trailing NUL, one session at a time, profiles and power target.

import { createServer, type Server, type Socket } from 'node:net';

/** One frequency profile as `profiles` lists it. */
export interface LuxosProfile {
  readonly name: string;
  /** Signed step from the stock profile (sent as a string, as LuxOS does). */
  readonly step: number;
  readonly frequencyMhz: number;
  readonly watts: number;
}

/**
 * Injected misbehaviour of one command: `refuse` answers STATUS E; `ignore` answers success but
 * changes nothing (the read-back shows the old value); `hang` never answers; `garbage` sends bytes
 * that are not JSON; `close` closes without a reply.
 */
export type LuxosFault = 'refuse' | 'ignore' | 'hang' | 'garbage' | 'close';

export interface FakeLuxosOptions {
  /** Hashboards (devs rows ASC 0..n-1). Default 3. */
  readonly boards?: number;
  readonly profiles?: readonly LuxosProfile[];
  /** Initial profile of every board. Default 'default'. */
  readonly profile?: string;
  /** Power targeting (atm shows PowerTarget/PowerMin/PowerLimit); null: a model without it. */
  readonly powerTarget?: { readonly targetW: number; readonly minW: number; readonly limitW: number } | null;
  /** Legacy firmware: `profileset <sid>,<board>,<profile>` changes that board only. Default false. */
  readonly perBoardProfiles?: boolean;
  /** Called with each request as it arrives (event-driven waits in tests). */
  readonly onRequest?: (request: LuxosRequest) => void;
}

export interface LuxosRequest {
  readonly command: string;
  readonly parameter: string | null;
}

export interface FakeLuxos {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly requests: readonly LuxosRequest[];
  /** The live state. */
  state(): { session: string | null; boardProfiles: readonly string[]; powerTargetW: number | null };
  fault(command: string, fault: LuxosFault | null): void;
  /** Another client logs on (its session blocks ours) or, with null, logs off. */
  holdSession(id: string | null): void;
  /** Most sessions-holding write commands in progress at once. */
  maxWritesInFlight(): number;
  /** Closes every hung connection without a reply and clears `hang` faults. */
  releaseHung(): void;
  close(): Promise<void>;
}

export const LUXOS_DESCRIPTION = 'LUXminer 2025.4.8.220305-57b389c7';
const WHEN = 1744110000;

/** Five profiles around stock, the names and figures shaped like the §3.5 `profiles` capture. */
export const DEFAULT_PROFILES: readonly LuxosProfile[] = [
  { name: '240MHz', step: -2, frequencyMhz: 240, watts: 960 },
  { name: '265MHz', step: -1, frequencyMhz: 265, watts: 1010 },
  { name: 'default', step: 0, frequencyMhz: 290, watts: 1051 },
  { name: '315MHz', step: 1, frequencyMhz: 315, watts: 1120 },
  { name: '340MHz', step: 2, frequencyMhz: 340, watts: 1200 },
];

// Codes from the LuxOS docs and wire-formats §3.1/§3.5: 9 devs, 22 version, 316 logon, 321
// profileset, 339 atm, 402 another session active (luxos-tooling), 14 invalid command (cgminer).
// The others (logoff, profiles, powertargetset, bad session) are not in the stored sources:
// placeholders; the driver branches on STATUS and on 402 / 14 only.
function reply(status: 'S' | 'E', code: number, msg: string, section?: string, rows?: unknown[]): string {
  const head = {
    STATUS: [{ STATUS: status, When: WHEN, Code: code, Msg: msg, Description: LUXOS_DESCRIPTION }],
  };
  const body = section === undefined ? { ...head, id: 1 } : { ...head, [section]: rows, id: 1 };
  return JSON.stringify(body);
}

/** Starts the fake miner. */
export async function startLuxosApi(options: FakeLuxosOptions = {}): Promise<FakeLuxos> {
  const profiles = options.profiles ?? DEFAULT_PROFILES;
  const boards = Array.from({ length: options.boards ?? 3 }, () => options.profile ?? 'default');
  const pt = options.powerTarget === undefined ? null : options.powerTarget;
  let targetW = pt?.targetW ?? null;
  let session: string | null = null;
  let sessions = 0;
  let writes = 0;
  let maxWrites = 0;
  const faults = new Map<string, LuxosFault>();
  const requests: LuxosRequest[] = [];
  const sockets = new Set<Socket>();
  const hung = new Set<Socket>();

  const devs = () =>
    boards.map((profile, asc) => ({
      ASC: asc,
      Name: 'BTM',
      ID: asc,
      Enabled: 'Y',
      Status: 'Alive',
      Board: 'BHB56903',
      Connector: `J${8 + asc}`,
      Profile: profile,
      IsRamping: false,
      IsUserShutdown: false,
      Temperature: 47.0,
      'Nominal MHS': 20651400,
      'MHS 5s': 19952200.0,
    }));
  const atm = () => ({
    ChipTempWindow: 8.0,
    Enabled: false,
    MaxProfile: 'default',
    MaxProfileStep: '0',
    MinProfile: '',
    PostRampMinutes: 15,
    StartupMinutes: 15,
    TempWindow: 5.0,
    WaterInletTempWindow: 7.0,
    ...(pt === null ? {} : { PowerLimit: pt.limitW, PowerMin: pt.minW, PowerTarget: targetW }),
  });
  const profileRows = () =>
    profiles.map((p) => ({
      'Profile Name': p.name,
      Step: String(p.step),
      Frequency: p.frequencyMhz,
      Voltage: 11.88,
      Watts: p.watts,
      Hashrate: 39.2,
      IsTuned: false,
      IsDynamic: true,
      CanRestore: true,
    }));

  /** The reply to one request, or null to send nothing. */
  function handle(command: string, parameter: string | null): string {
    const args = parameter === null ? [] : parameter.split(',');
    const fault = faults.get(command);
    if (fault === 'refuse') return reply('E', 45, 'Refused by the fake (fault injection)');
    const apply = fault !== 'ignore';
    const needsSession = () =>
      args[0] !== undefined && args[0] === session ? null : reply('E', 400, 'Invalid session id');
    switch (command) {
      case 'version':
        return reply('S', 22, 'LUXminer versions', 'VERSION', [
          { API: '3.7', LUXminer: '2025.4.8.220305-57b389c7', Type: 'Antminer S19k Pro' },
        ]);
      case 'devs':
        return reply('S', 9, `${boards.length} ASC(s)`, 'DEVS', devs());
      case 'profiles':
        return reply('S', 327, 'Profiles', 'PROFILES', profileRows());
      case 'atm':
        return reply('S', 339, 'ATM configuration values', 'ATM', [atm()]);
      case 'logon':
        if (session !== null) return reply('E', 402, 'Another session is active');
        sessions += 1;
        session = `S${String(sessions).padStart(7, '0')}`;
        return reply('S', 316, 'Session created', 'SESSION', [{ SessionID: session }]);
      case 'logoff': {
        const bad = needsSession();
        if (bad !== null) return bad;
        session = null;
        return reply('S', 317, 'Session closed');
      }
      case 'profileset': {
        const bad = needsSession();
        if (bad !== null) return bad;
        const legacy = args.length === 3 && /^[0-3]$/.test(args[1]);
        const name = legacy ? args[2] : args[1];
        if (!profiles.some((p) => p.name === name)) return reply('E', 401, `Profile not found: ${name}`);
        const board = legacy && options.perBoardProfiles ? Number(args[1]) : null;
        if (board !== null && board >= boards.length) return reply('E', 401, `Invalid board ${board}`);
        if (apply)
          for (let b = 0; b < boards.length; b++) if (board === null || b === board) boards[b] = name;
        // On power-targeting models a profile is a predefined power target (LuxOS power-targeting docs).
        if (apply && pt !== null) targetW = profiles.find((p) => p.name === name)?.watts ?? targetW;
        return reply('S', 321, 'Profile Set', 'PROFILE', [
          { Board: board ?? 0, FrequencyStep: 5, Profile: name, VoltageStep: 0.05 },
        ]);
      }
      case 'powertargetset': {
        if (pt === null) return reply('E', 14, 'Invalid command');
        const bad = needsSession();
        if (bad !== null) return bad;
        const watts = Number(args[1]);
        if (!Number.isInteger(watts) || watts < pt.minW || watts > pt.limitW)
          return reply('E', 401, `Power target out of range: ${args[1]}`);
        if (apply) targetW = watts;
        return reply('S', 341, 'Power target set', 'POWERTARGET', [{ PowerTarget: watts }]);
      }
      default:
        return reply('E', 14, 'Invalid command');
    }
  }

  function serve(socket: Socket, text: string): boolean {
    let request: { command?: unknown; parameter?: unknown };
    try {
      request = JSON.parse(text.replace(/\0+$/, ''));
    } catch {
      return false; // incomplete: wait for more bytes
    }
    const command = String(request.command ?? '');
    const parameter = request.parameter === undefined ? null : String(request.parameter);
    const entry = { command, parameter };
    requests.push(entry);
    options.onRequest?.(entry);
    const fault = faults.get(command);
    const isWrite = command === 'profileset' || command === 'powertargetset';
    if (isWrite) {
      writes += 1;
      maxWrites = Math.max(maxWrites, writes);
      socket.once('close', () => {
        writes -= 1;
      });
    }
    if (fault === 'hang') hung.add(socket);
    else if (fault === 'close') socket.end();
    else if (fault === 'garbage') socket.end(Buffer.from([0x7b, 0xff, 0xfe, 0x53, 0x54, 0x00]));
    else socket.end(`${handle(command, parameter)}\0`);
    return true;
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      hung.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    let text = '';
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      text += chunk.toString('utf8');
      done = serve(socket, text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    host: '127.0.0.1',
    port,
    requests,
    state: () => ({ session, boardProfiles: [...boards], powerTargetW: targetW }),
    fault: (command, fault) => void (fault === null ? faults.delete(command) : faults.set(command, fault)),
    holdSession: (id) => {
      session = id;
    },
    maxWritesInFlight: () => maxWrites,
    releaseHung: () => {
      for (const s of hung) s.destroy();
      hung.clear();
      for (const [command, fault] of faults) if (fault === 'hang') faults.delete(command);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
