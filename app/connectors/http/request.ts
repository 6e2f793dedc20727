// One HTTP exchange with an ERP: bounded by a timeout (the whole exchange,
// body included, so a server that stalls mid-body cannot hang a worker), and
// every failure to get an answer turned into a classified ErpError.
import { ErpError } from "../port";
import { errorFromNetworkFailure, type RequestDescription } from "./classify";

export interface HttpRequest extends RequestDescription {
  url: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The engine's signal (attempt deadline, shutdown). */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  bodyText: string;
}

export async function sendRequest(fetchFn: typeof fetch, req: HttpRequest): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  try {
    const res = await fetchFn(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal,
      redirect: "error",
    });
    const bodyText = await res.text();
    return { status: res.status, headers: res.headers, bodyText };
  } catch (error) {
    if (error instanceof ErpError) throw error;
    throw errorFromNetworkFailure(req, error, {
      timedOut: timeout.aborted,
      timeoutMs: req.timeoutMs,
    });
  }
}

/** Parses a JSON body, or undefined when it is empty or not JSON. */
export function parseJson(bodyText: string): unknown {
  if (bodyText.trim() === "") return undefined;
  try {
    return JSON.parse(bodyText);
  } catch {
    return undefined;
  }
}
