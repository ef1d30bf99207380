/** A one-line progress indicator: animated on a terminal, plain lines in logs. */
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function startSpinner(text: string, stream: NodeJS.WriteStream = process.stdout) {
  if (!stream.isTTY) {
    stream.write(`… ${text}\n`);
    return { stop: (done: string) => void stream.write(`${done}\n`) };
  }
  let frame = 0;
  const timer = setInterval(() => stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${text}`), 80);
  return {
    stop(done: string) {
      clearInterval(timer);
      stream.write(`\r\x1b[2K${done}\n`);
    },
  };
}
