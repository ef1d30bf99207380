import { z } from "zod";
import type { ServerSpec } from "create-mcp-stateless/spec";

const item = z.object({
  sku: z.string().min(1).describe("Product code, like A-100"),
  quantity: z.number().int().positive(),
});

export default {
  name: "basket-server",
  version: "0.1.0",
  instructions: "Create a basket, add items to it, then check out. Baskets are private to the caller.",
  handles: {
    basket: {
      prefix: "bsk",
      ttl: "1h",
      description: "A shopping basket being filled",
      state: z.object({ currency: z.string(), items: z.array(item) }),
    },
  },
  tools: {
    create_basket: {
      description: "Start a new, empty shopping basket.",
      creates: "basket",
      input: z.object({ currency: z.enum(["EUR", "USD", "GBP"]).default("EUR") }),
    },
    add_item: {
      description: "Add a quantity of a product to the basket.",
      uses: "basket",
      input: item,
      output: z.object({ item_count: z.number().int() }),
      example: { sku: "A-100", quantity: 2 },
    },
    view_basket: {
      description: "Show what is in the basket.",
      uses: "basket",
      output: z.object({ currency: z.string(), items: z.array(item) }),
      annotations: { readOnlyHint: true },
    },
    checkout: {
      description: "Place the order for everything in the basket. The basket is gone afterwards.",
      destroys: "basket",
      output: z.object({ order_id: z.string(), item_count: z.number().int() }),
    },
  },
} satisfies ServerSpec;
