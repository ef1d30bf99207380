// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * One server per request, as the stateless protocol wants: everything a request needs
 * comes from its arguments (handles) and its auth (the principal), never from the instance.
 * It is the SDK's low-level Server with the tools in a table (handles/tool-server.ts), so a
 * request pays for a few callbacks, not for a whole McpServer.
 */
import type { Server } from "@modelcontextprotocol/server";
import { createHandle, openHandle, saveState, type HandleStore } from "./handles/handles.ts";
import { created, reply } from "./handles/results.ts";
import { ToolServer } from "./handles/tool-server.ts";
import {
  allKinds,
  kinds,
  addItemTool,
  checkoutTool,
  createBasketTool,
  viewBasketTool,
} from "./tools.ts";
import type { BasketState } from "./types.ts";
import { addItem as addItemHandler } from "../handlers/add_item.ts";
import { checkout as checkoutHandler } from "../handlers/checkout.ts";
import { createBasket as createBasketHandler } from "../handlers/create_basket.ts";
import { viewBasket as viewBasketHandler } from "../handlers/view_basket.ts";

export interface ServerDeps {
  store: HandleStore;
  /** The caller: owner of the handles this request creates, and the only one who may open them. */
  principal: string;
}

export function createServer({ store, principal }: ServerDeps): Server {
  const server = new ToolServer(
    { name: "basket-server", version: "0.1.0" },
    { instructions: "Create a basket, add items to it, then check out. Baskets are private to the caller." },
  );

  server.registerTool("add_item", addItemTool, async ({ basket_id: handle, ...input }) => {
    const opened = await openHandle(store, allKinds, kinds.basket, principal, handle);
    if (!opened.ok) return opened.error;
    const state = opened.state as BasketState;
    const result = await addItemHandler({ input, state, handle, principal });
    if (result.state !== undefined) {
      const saved = await saveState(store, kinds.basket, principal, handle, result.state);
      if (!saved.ok) return saved.error;
    }
    return reply(result);
  });

  server.registerTool("checkout", checkoutTool, async ({ basket_id: handle, ...input }) => {
    const opened = await openHandle(store, allKinds, kinds.basket, principal, handle);
    if (!opened.ok) return opened.error;
    const state = opened.state as BasketState;
    const result = await checkoutHandler({ input, state, handle, principal });
    await store.destroy(kinds.basket, principal, handle);
    return reply(result);
  });

  server.registerTool("create_basket", createBasketTool, async (input) => {
    const result = await createBasketHandler({ input, principal });
    const saved = await createHandle(store, kinds.basket, principal, result.state);
    return saved.ok ? created(kinds.basket, saved.handle, result) : saved.error;
  });

  server.registerTool("view_basket", viewBasketTool, async ({ basket_id: handle, ...input }) => {
    const opened = await openHandle(store, allKinds, kinds.basket, principal, handle);
    if (!opened.ok) return opened.error;
    const state = opened.state as BasketState;
    const result = await viewBasketHandler({ input, state, handle, principal });
    if (result.state !== undefined) {
      const saved = await saveState(store, kinds.basket, principal, handle, result.state);
      if (!saved.ok) return saved.error;
    }
    return reply(result);
  });
  return server.server;
}
