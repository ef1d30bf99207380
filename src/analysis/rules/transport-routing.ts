/** Shape 1: routing requests to per-session transports by Mcp-Session-Id (or the legacy SSE transport's session id). */
import ts from "typescript";
import { calleeName, inCorsHeaderList, isMcpCode, isMcpEndpointPath, nearestDeclaration, propertyNameText, sessionHeaderRead, unwrap, walk, withoutCasts, type Rule } from "../rule.ts";

export const transportRouting: Rule = {
  id: "transport-routing",
  prefilter: /sessionIdGenerator|onsession(initialized|closed)|isInitializeRequest|mcp-session-id|transports\s*\[|\.(get|delete)\s*\(\s*["'`][^"'`]*mcp|SSEServerTransport/i,
  fix: "run `mcp-stateless migrate` (transport-routing): one stateless createMcpHandler, GET and DELETE answered 405",
  analyze(source, report) {
    const mcpCode = isMcpCode(source);
    walk(source, (node) => {
      if ((ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isShorthandPropertyAssignment(node)) && node.name) {
        const name = propertyNameText(node.name);
        if (name === "sessionIdGenerator") {
          const value = ts.isPropertyAssignment(node) ? node.initializer : undefined;
          if (!(value && ts.isIdentifier(value) && value.text === "undefined")) {
            report(node, "sessionIdGenerator makes the transport mint an Mcp-Session-Id per client");
          }
        } else if (name === "onsessioninitialized" || name === "onsessionclosed") {
          report(node, `${name} keeps transports per session`);
        }
      } else if (ts.isCallExpression(node)) {
        const name = calleeName(node);
        const [first] = node.arguments;
        if (name === "isInitializeRequest") report(node, "isInitializeRequest starts a session; 2026-07-28 has no initialize handshake");
        // A route has a handler after the path; `cache.get("/mcp")` is no route.
        const isRoute = node.arguments.length > 1 && node.arguments.slice(1).some((a) => ts.isFunctionLike(a) || ts.isIdentifier(a));
        // A route that answers 405 is what migrate leaves: it serves no session.
        const refuses = node.arguments.slice(1).some((a) => a.getText(source).includes("405"));
        const endpoint = first && ts.isStringLiteralLike(first) && isMcpEndpointPath(first.text);
        if ((name === "get" || name === "delete") && isRoute && !refuses && endpoint) {
          report(node, `a ${name.toUpperCase()} route on the MCP endpoint serves session streams or session teardown`);
        }
      } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "SSEServerTransport") {
        report(node, "the legacy SSE transport is a session by design: a stream per client, its messages routed back by the stream's session id");
      } else if (ts.isStringLiteralLike(node) && node.text.toLowerCase() === "mcp-session-id" && !inCorsHeaderList(node) && !sessionHeaderRead(node) && (mcpCode || !isOutgoingHeader(node))) {
        // (Read off a handler's context it is the session id, which session-state follows.)
        if (isTestFile(source.fileName)) report(node, "a test sends or reads the Mcp-Session-Id header, as a client of a server with sessions", TEST_HEADER_FIX);
        // A client's (a proxy's) keeping what a server it calls gave it: that server's sessions, not this code's.
        else if (!readOffFetchedResponse(node)) report(node, "reads or writes the Mcp-Session-Id header");
      } else if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression) && /^transports?$/i.test(node.expression.text)) {
        report(node, "looks a transport up per session");
      }
    });
  },
};

/** `res.headers.get("mcp-session-id")` where `res` is what `fetch(…)` answered (or is typed `Response`): the code is a client there. */
function readOffFetchedResponse(name: ts.StringLiteralLike): boolean {
  const call = name.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== name || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== "get") return false;
  const headers = call.expression.expression;
  if (!ts.isPropertyAccessExpression(headers) || headers.name.text !== "headers" || !ts.isIdentifier(headers.expression)) return false;
  const declared = nearestDeclaration(headers.expression);
  const made = declared?.initializer && unwrap(declared.initializer);
  // `let res: Response; … res = await fetch(…)`: typed as what fetch answers.
  return (made !== undefined && ts.isCallExpression(made) && /(^|\.)fetch$/.test(made.expression.getText())) || declared?.type?.getText() === "Response";
}

/** What a test does about the header it sends or reads: the test's, not migrate's, to change. */
export const TEST_HEADER_FIX = "once the server is stateless it mints no session id and reads none: drop the header from the test's requests and what it asserts of it (a test of session behaviour, such as a 404 for an unknown session, goes with the sessions), by hand";

/** A test's file: `*.test.ts`, `*.spec.js`, or one under a `test/`, `tests/` or `__tests__/` folder. */
export function isTestFile(name: string): boolean {
  return /(^|[/\\])(tests?|__tests__)[/\\]|\.(test|spec)\.[cm]?[jt]sx?$/.test(name);
}

/**
 * `headers["mcp-session-id"] = id` on an object the code built itself (`const headers = { … }`):
 * headers for a request it sends on (an API call forwarding an id it keeps), not a request served.
 * Counted so only outside MCP code, where no server answers with them.
 */
function isOutgoingHeader(name: ts.StringLiteralLike): boolean {
  const access = name.parent;
  if (!ts.isElementAccessExpression(access) || access.argumentExpression !== name || !ts.isIdentifier(access.expression)) return false;
  const assignment = access.parent;
  if (!ts.isBinaryExpression(assignment) || assignment.left !== access || assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const initializer = nearestDeclaration(access.expression)?.initializer;
  return initializer !== undefined && ts.isObjectLiteralExpression(withoutCasts(initializer));
}
