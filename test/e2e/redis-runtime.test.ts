/**
 * The handle runtime's redis store (templates/runtime/redis-store.ts) against a real
 * redis-server, for what the store contract every generated project runs cannot stage: Redis
 * carrying out a command after the store stopped waiting for it.
 */
import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HandleKind } from "../../templates/runtime/handles.ts";
import { RedisStore } from "../../templates/runtime/redis-store.ts";
import { startRedis, type RunningRedis } from "../support/redis.ts";

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe("the redis store", () => {
  it("ends a handle whose create Redis carried out after the caller was told it had timed out", async () => {
    const note: HandleKind = { name: "note", prefix: "note", ttlMs: 60_000, createTool: "create_note", lifetime: "1 minute", maxPerOwner: 1 };
    const store = new RedisStore({ url: redis.url, timeoutMs: 100, keyPrefix: "late:" });
    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      expect(await store.list(note, "alice")).toEqual([]); // connected, nothing kept
      // Redis holds every write for 400 ms: the create is sent, the caller gives up at 100 ms,
      // and Redis carries the create out when the pause ends.
      await admin.sendCommand(["CLIENT", "PAUSE", "400", "WRITE"]);
      await expect(store.create(note, "alice", {})).rejects.toThrow(/did not answer within 100 ms/);
      // Unless the store ends it, that handle nobody holds fills alice's one place for a minute.
      let made: string | undefined;
      for (let attempt = 0; attempt < 40 && !made; attempt++) {
        made = await store.create(note, "alice", {}).catch(() => undefined);
        if (!made) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(made).toMatch(/^note_/);
      expect((await store.list(note, "alice")).map((entry) => entry.handle)).toEqual([made]);
    } finally {
      await admin.close();
      await store.close();
    }
  });
});
