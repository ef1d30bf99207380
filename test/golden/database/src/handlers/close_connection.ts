import type { CloseConnectionHandler } from "../generated/types.ts";

/** `close_connection` ends a connection handle. Nothing is held open between calls, so there is nothing else to close. */
export const closeConnection: CloseConnectionHandler = async ({ state }) => {
  return { text: `Closed the connection to ${state.file}.` };
};
