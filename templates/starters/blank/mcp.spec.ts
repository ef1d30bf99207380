import { z } from "zod";
import type { ServerSpec } from "create-mcp-stateless/spec";

// Start here: one handle kind and the tool that creates it. Add tools that `use` or `destroy`
// the handle, run `npm run generate`, and fill in the handlers it writes in src/handlers/.
export default {
  name: "my-server",
  version: "0.1.0",
  handles: {
    note: {
      prefix: "note",
      ttl: "1h",
      description: "A note kept between calls",
      state: z.object({ text: z.string() }),
    },
  },
  tools: {
    create_note: {
      description: "Start a note with some text; later calls refer to it by its handle.",
      creates: "note",
      input: z.object({ text: z.string().min(1).describe("What the note says") }),
    },
  },
} satisfies ServerSpec;
