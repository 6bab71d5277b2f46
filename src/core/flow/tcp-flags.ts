/** TCP header flag bits (RFC 9293, RFC 3168), as flow exports carry them: defined once for every parser. */
export const FIN = 1;
export const SYN = 2;
export const RST = 4;
export const PSH = 8;
export const ACK = 16;
export const URG = 32;
export const ECE = 64;
export const CWR = 128;
