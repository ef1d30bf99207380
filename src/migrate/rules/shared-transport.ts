/**
 * One stateless Streamable HTTP transport made once and handed every request (v1's stateless
 * mode set up once, as `@hono/mcp`'s README does too), which the SDK refuses from the second
 * request on: the transport and its `connect` go, and the server it served becomes the factory of
 * the one handler that takes its place.
 */
import ts from "typescript";
import { sharedHttpTransport } from "../../analysis/rules/legacy-entry.ts";
import { allStatements, declaresAny, removals, unwrap, walkCalls } from "../rule.ts";
import { factoryOf, whyNotPerRequest, type ImportedText, type ModuleServer } from "./module-server.ts";

/**
 * One stateless transport the routers hand every request to (`transport.handleRequest(…)`), made
 * once outside them and connected once (`await server.connect(transport)`): the transport and the
 * connect go, and the server connected becomes the factory as a server made once does (or the
 * function that made it, when it only builds one). Undefined when the routers do not route so.
 */
export function connectedOnce(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[], importedText?: ImportedText): ModuleServer | string | undefined {
  const receivers = new Set<string>();
  for (const router of routers) {
    walkCalls(router, "handleRequest", (call) => {
      const receiver = (call.expression as ts.PropertyAccessExpression).expression;
      receivers.add(ts.isIdentifier(receiver) ? receiver.text : "");
    });
  }
  const [transport] = receivers;
  if (receivers.size !== 1 || !transport) return undefined;
  const made = allStatements(source).find((statement): statement is ts.VariableStatement => ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 && declaresAny(statement, new Set([transport])));
  const value = made?.declarationList.declarations[0]!.initializer;
  if (!made || !value || !ts.isNewExpression(value) || sharedHttpTransport(value) !== transport) return undefined;
  const connects: ts.CallExpression[] = [];
  walkCalls(source, "connect", (call) => {
    if (call.arguments.length === 1 && ts.isIdentifier(call.arguments[0]!) && call.arguments[0].text === transport) connects.push(call);
  });
  const connect = connects[0];
  const statement = connect && (ts.isAwaitExpression(connect.parent) || ts.isVoidExpression(connect.parent) ? connect.parent.parent : connect.parent);
  if (connects.length !== 1 || !statement || !ts.isExpressionStatement(statement)) {
    return `${transport} is connected to its server somewhere other than one statement of its own (\`await server.connect(${transport});\`), so the server it serves cannot be told: make it so, then run migrate again`;
  }
  const gone = removals(source, [made, statement]);
  if (!gone) return `${transport} or the statement connecting it shares its lines with other code, so it cannot be removed alone: put it on lines of its own, then run migrate again`;
  const receiver = unwrap((connect.expression as ts.PropertyAccessExpression).expression);
  if (ts.isIdentifier(receiver)) {
    const factory = factoryOf(source, receiver.text, [...routers, statement], new Set(), importedText);
    return typeof factory === "object" ? { ...factory, edits: [...factory.edits, ...gone] } : factory;
  }
  // `await createServer().connect(transport)`: that function, when it only builds a server.
  const builder = ts.isCallExpression(receiver) && receiver.arguments.length === 0 && ts.isIdentifier(receiver.expression) ? receiver.expression.text : undefined;
  if (!builder) return undefined;
  const refused = whyNotPerRequest(source, `${transport} serves the one server ${builder}() made, and a handler would call ${builder} per request`, builder, importedText);
  return refused ?? { name: builder, server: builder, edits: gone };
}
