/**
 * How `check --url` pairs each create tool with a tool that takes its handle (src/live/probe.ts):
 * the safest consumer first, and a tool that ends the handle only when nothing else takes it.
 */
import { describe, expect, it } from "vitest";
import { handleFlows, handleMakers, type Tool } from "../../src/live/probe.ts";

const takesNote = { required: ["note_id"], properties: { note_id: { type: "string" } } };
const create: Tool = { name: "create_note", outputSchema: { properties: { note_id: {} } }, annotations: { destructiveHint: false } };
const consumerOf = (tools: Tool[]) => handleFlows([create, ...tools]).map((f) => f.consumers[0]!.name);

describe("handle flows", () => {
  it("rank a read-only consumer first, then a non-destructive one, then one that says nothing", () => {
    const end: Tool = { name: "end_note", inputSchema: takesNote, annotations: { destructiveHint: true } };
    const write: Tool = { name: "write_note", inputSchema: takesNote };
    const tag: Tool = { name: "tag_note", inputSchema: takesNote, annotations: { destructiveHint: false } };
    const read: Tool = { name: "read_note", inputSchema: takesNote, annotations: { readOnlyHint: true } };
    expect(consumerOf([end, write, tag, read])).toEqual(["read_note"]);
    expect(consumerOf([end, write, tag])).toEqual(["tag_note"]);
    // end_note sorts first by name, but ending the handle would leave nothing for later flows.
    expect(consumerOf([end, write])).toEqual(["write_note"]);
    expect(consumerOf([end])).toEqual(["end_note"]);
  });

  it("take a create tool's handle from its name when it declares no output", () => {
    const bare: Tool = { name: "create_note" };
    const read: Tool = { name: "read_note", inputSchema: takesNote, annotations: { readOnlyHint: true } };
    expect(handleFlows([bare, read])).toEqual([{ creator: bare, consumers: [read], param: "note_id", inferred: true }]);
  });

  it("follow handle fields only, not data another tool happens to take", () => {
    // read_note returns the note's text, and create_note takes text: that is no handle.
    const createNote: Tool = { name: "create_note", inputSchema: { required: ["text"] }, outputSchema: { properties: { note_id: {} } } };
    const readNote: Tool = { name: "read_note", inputSchema: takesNote, outputSchema: { properties: { text: {} } } };
    expect(handleFlows([createNote, readNote]).map((f) => `${f.creator.name}→${f.consumers[0]!.name}`)).toEqual(["create_note→read_note"]);
  });

  it("take a field as a handle when it is named like one or marked x-mcp-handle", () => {
    const open: Tool = { name: "open_file", outputSchema: { properties: { fileId: {}, cursor: { "x-mcp-handle": { kind: "cursor" } }, size: {} } } };
    const takes = (name: string, param: string): Tool => ({ name, inputSchema: { required: [param] } });
    const tools = [open, takes("read_file", "fileId"), takes("next_page", "cursor"), takes("resize", "size")];
    expect(handleFlows(tools).map((f) => f.param)).toEqual(["fileId", "cursor"]);
  });

  it("ask a lifetime of the tools that make handles, not of every tool that returns an id", () => {
    const search: Tool = { name: "search_issues", outputSchema: { properties: { issue_id: {} } } };
    const get: Tool = { name: "get_issue", inputSchema: { required: ["issue_id"] } };
    const open: Tool = { name: "db.open", outputSchema: { properties: { connection_id: { "x-mcp-handle": { kind: "connection" } } } } };
    const tools = [search, get, open, create];
    expect(handleFlows(tools).map((f) => f.creator.name)).toContain("search_issues");
    expect(handleMakers(tools).map((t) => t.name)).toEqual(["db.open", "create_note"]);
  });
});
