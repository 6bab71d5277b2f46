// What the plant is built from: this generator's own port table and the
// control-system vendors a line may use, written from the protocols'
// specifications and vendor manuals, not from the engine's catalogue
// (sharing it would measure the engine against itself).

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export type Proto = typeof TCP | typeof UDP | typeof ICMP;

export const PORT = {
  ssh: 22,
  dns: 53,
  kerberos: 88,
  ntp: 123,
  rpc: 135,
  netbiosName: 137,
  netbiosDatagram: 138,
  snmp: 161,
  ldap: 389,
  https: 443,
  smb: 445,
  syslog: 514,
  modbus: 502,
  s7: 102,
  netflow: 2055,
  enipIo: 2222,
  rdp: 3389,
  opcUa: 4840,
  historianPi: 5450,
  suiteLink: 5413,
  vnc: 5900,
  avTrend: 8080,
  /** ePO agent wake-up: the server calls the agent. */
  epoAgent: 8081,
  wsus: 8530,
  codesys: 11740,
  avevaReplication: 32568,
  enip: 44818,
  /** Ignition gateway network (redundancy and remote services), TLS. */
  ignitionGan: 8060,
  /** WinCC OA redundancy manager. */
  winccOaRedu: 4899,
} as const;

/** Polling protocol of a line: what its HMIs and the SCADA servers speak to its PLCs. */
export type Family = 'modbus' | 's7' | 'enip';

export type VendorKey = 'siemens' | 'rockwell' | 'modicon' | 'wago';

export interface Vendor {
  readonly key: VendorKey;
  readonly maker: string;
  readonly family: Family;
  /** The PLCs' server port for polling. */
  readonly pollPort: number;
  /** What the engineering software uses for upload/download and online monitoring. */
  readonly engineeringPort: number;
  readonly plcModels: readonly string[];
  readonly panelModels: readonly string[];
  readonly firmware: readonly string[];
  /** How remote I/O shows up in IP flows: EtherNet/IP class-1 I/O, Modbus polling, or not at all (PROFINET RT is layer 2). */
  readonly io: 'enip' | 'modbus' | 'layer2';
  readonly ioModels: readonly string[];
  readonly ioMaker: string;
  /** Ephemeral source ports of the PLC's own TCP client (interlocks, I/O polling): embedded stacks differ. */
  readonly clientPorts: readonly [number, number];
  /** IP precedence/DSCP the device marks: CIP's defaults (explicit 27, scheduled I/O 47) as ToS bytes. */
  readonly tos: { readonly poll: number; readonly io: number };
  /** Typical IP sizes of one poll request and its response, bytes. */
  readonly request: number;
  readonly response: number;
  /** MAC prefix (OUI) of the maker's devices. */
  readonly oui: string;
  /** How the asset tool names discovered PLCs: TIA Portal's defaults are common on Siemens lines. */
  readonly naming: 'tia-default' | 'tag';
}

export const VENDORS: Readonly<Record<VendorKey, Vendor>> = {
  siemens: {
    key: 'siemens',
    maker: 'Siemens',
    family: 's7',
    pollPort: PORT.s7,
    engineeringPort: PORT.s7,
    plcModels: ['SIMATIC S7-1516-3 PN/DP', 'SIMATIC S7-1515-2 PN', 'SIMATIC S7-1214C DC/DC/DC', 'SIMATIC S7-315-2 PN/DP'],
    panelModels: ['SIMATIC TP1200 Comfort', 'SIMATIC KTP900 Basic'],
    firmware: ['V2.9.4', 'V2.9.7', 'V3.0.3', 'V4.5.2', 'V3.2.19'],
    io: 'layer2',
    ioModels: ['SIMATIC ET 200SP IM155-6 PN ST', 'SIMATIC ET 200MP IM155-5 PN'],
    ioMaker: 'Siemens',
    clientPorts: [49152, 65535],
    tos: { poll: 0, io: 0 },
    request: 95,
    response: 310,
    oui: '00:1b:1b',
    naming: 'tia-default',
  },
  rockwell: {
    key: 'rockwell',
    maker: 'Rockwell Automation',
    family: 'enip',
    pollPort: PORT.enip,
    engineeringPort: PORT.enip,
    plcModels: ['1756-L83E ControlLogix 5580', '1769-L33ER CompactLogix 5370', '5069-L320ER CompactLogix 5380'],
    panelModels: ['2711P-T12W22D9P PanelView Plus 7', '2711P-T10C22D9P PanelView Plus 7'],
    firmware: ['33.011', '32.013', '34.014', '35.011'],
    io: 'enip',
    ioModels: ['1734-AENTR POINT I/O Adapter', '1794-AENTR FLEX I/O Adapter', '5069-AEN2TR Compact 5000 I/O'],
    ioMaker: 'Rockwell Automation',
    clientPorts: [49152, 65535],
    tos: { poll: 108, io: 188 },
    request: 140,
    response: 420,
    oui: '00:1d:9c',
    naming: 'tag',
  },
  modicon: {
    key: 'modicon',
    maker: 'Schneider Electric',
    family: 'modbus',
    pollPort: PORT.modbus,
    // Control Expert (Unity Pro) talks UMAS, Modbus function code 90, on the same port.
    engineeringPort: PORT.modbus,
    plcModels: ['Modicon M580 BMEP582040', 'Modicon M340 BMXP342020', 'Modicon M580 BMEP584040'],
    panelModels: ['Harmony HMIGTO5310', 'Magelis HMIGTU5512'],
    firmware: ['3.20', '3.10', '2.90', '4.01'],
    // M580 remote drops (BMECRA31210) are EtherNet/IP class-1 adapters.
    io: 'enip',
    ioModels: ['BMECRA31210 X80 EIO adapter', 'BMXCRA31210 X80 EIO adapter'],
    ioMaker: 'Schneider Electric',
    // Older embedded stacks hand out low source ports.
    clientPorts: [1024, 5000],
    tos: { poll: 0, io: 0 },
    request: 52,
    response: 245,
    oui: '00:80:f4',
    naming: 'tag',
  },
  wago: {
    key: 'wago',
    maker: 'WAGO',
    family: 'modbus',
    pollPort: PORT.modbus,
    // CODESYS V3 gateway.
    engineeringPort: PORT.codesys,
    plcModels: ['PFC200 750-8212', 'PFC200 750-8202', 'PFC100 750-8101'],
    panelModels: ['Touch Panel 600 762-4205/8000-002'],
    firmware: ['04.02.13(24)', '03.10.08(22)', '04.04.03(26)'],
    io: 'modbus',
    ioModels: ['750-362 Modbus TCP Fieldbus Coupler', '750-352 Modbus TCP/UDP Fieldbus Coupler'],
    ioMaker: 'WAGO',
    // Linux-based controller.
    clientPorts: [32768, 60999],
    tos: { poll: 0, io: 0 },
    request: 52,
    response: 201,
    oui: '00:30:de',
    naming: 'tag',
  },
};

export const LINE_TITLES = ['Mixing', 'Filling', 'Packaging', 'Palletizing', 'Bottling', 'Extrusion', 'Press Shop', 'Batching', 'Labelling', 'Cooking', 'Cooling Tunnel', 'Wrapping'];

/** Windows ephemeral ports (Vista and later) and Linux's default range. */
export const WINDOWS_PORTS: readonly [number, number] = [49152, 65535];
export const LINUX_PORTS: readonly [number, number] = [32768, 60999];
