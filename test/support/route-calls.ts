// Calls a real route module the way Remix would (thrown Responses become the
// answer), with requests carrying a session token signed as Shopify's admin
// signs them: the library's own authentication path, never bypassed.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";

export type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown>;

/** A route module as the tests import it: its loader and action, whichever it has. */
export interface RouteModule {
  loader?: Handler;
  action?: Handler;
}

export async function callRoute(handler: Handler, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    const result = await handler({ request, params, context: {} });
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    // Loaders/actions throw Responses (401/404/413...); Remix sends them as they are.
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/**
 * Requests to the app for a store: `admin` as Shopify's admin loads a page
 * (the session token in the URL), `bearer` as the page's own fetches and the
 * admin extension send it (an Authorization header).
 */
export function signedRequests(store: string) {
  const options = (type: RequestType) => ({ type, store, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY }) as const;
  return {
    admin: (path: string, init?: RequestInit) => setUpValidRequest(options(RequestType.Admin), new Request(`${APP_URL}${path}`, init)),
    bearer: (path: string, init?: RequestInit) => setUpValidRequest(options(RequestType.Bearer), new Request(`${APP_URL}${path}`, init)),
  };
}

/** A form POST as a Remix <Form> or useSubmit sends it. */
export function formPost(entries: Record<string, string> | [string, string][]): RequestInit {
  return { method: "POST", body: new URLSearchParams(entries), headers: { "Content-Type": "application/x-www-form-urlencoded" } };
}
