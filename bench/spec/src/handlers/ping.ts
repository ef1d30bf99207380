import type { PingHandler } from "../generated/types.ts";

export const ping: PingHandler = async ({ input }) => ({ output: { echo: input.message } });
