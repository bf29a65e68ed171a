// A fake clamd speaking the real INSTREAM protocol over TCP (clamd(8)): "zINSTREAM\0", then chunks
// each prefixed by its length (4 bytes, big-endian), then a zero length; it answers NUL-terminated
// like clamd, recognising the EICAR test string. For tests of the scan hook and of the rescan.
import net from "node:net";

// Built at run time so this file itself does not trip a virus scanner.
export const EICAR = ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"].join("");

/** A fake clamd: zINSTREAM\0, <len32be><bytes>…, <0>; answers NUL-terminated, like clamd. */
export function startFakeClamd(maxStreamBytes = 10 * 1024 * 1024): Promise<{ address: string; close: () => Promise<void>; streamsScanned: () => number }> {
  let scanned = 0;
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let command: string | null = null;
    const received: Buffer[] = [];
    let total = 0;
    let answered = false;
    const answer = (text: string) => {
      answered = true;
      socket.end(`${text}\0`);
    };
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) => {
      if (answered) return;
      buffer = Buffer.concat([buffer, chunk]);
      if (command === null) {
        const end = buffer.indexOf(0);
        if (end < 0) return;
        command = buffer.subarray(0, end).toString("latin1");
        buffer = buffer.subarray(end + 1);
        if (command !== "zINSTREAM") return answer("UNKNOWN COMMAND");
      }
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length === 0) {
          scanned++;
          return answer(Buffer.concat(received).includes(EICAR) ? "stream: Eicar-Test-Signature FOUND" : "stream: OK");
        }
        if (buffer.length < 4 + length) return;
        received.push(buffer.subarray(4, 4 + length));
        total += length;
        buffer = buffer.subarray(4 + length);
        if (total > maxStreamBytes) return answer("INSTREAM size limit exceeded. ERROR");
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ address: `127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())), streamsScanned: () => scanned });
    });
  });
}

