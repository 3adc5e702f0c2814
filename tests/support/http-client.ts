/**
 * A tiny browser stand-in for HTTP tests: keeps cookies, sends the same-origin Origin header
 * on posts (as browsers do), never follows redirects so tests can assert them.
 */
export class HttpClient {
  /** Requests sent by every client of this process so far (a test can tell whether anything was asked of the server since). */
  static sent = 0;

  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get origin(): string {
    return new URL(this.baseUrl).origin;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size && !headers.has("Cookie")) headers.set("Cookie", this.cookieHeader());
    const url = new URL(path, this.baseUrl);
    HttpClient.sent += 1;
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers, redirect: "manual" });
    } catch (error) {
      // A keep-alive connection the server closed just as it was reused (after a refused upload
      // it stops reading, or an idle timeout): browsers send a GET again on a new connection, so
      // does this client. Posts are never sent twice.
      const method = (init.method ?? "GET").toUpperCase();
      const closed = (error as { cause?: { code?: string } }).cause?.code === "UND_ERR_SOCKET";
      if (!closed || (method !== "GET" && method !== "HEAD")) throw error;
      response = await fetch(url, { ...init, headers, redirect: "manual" });
    }
    this.remember(response);
    return response;
  }

  get(path: string, init: RequestInit = {}) {
    return this.request(path, { ...init, method: "GET" });
  }

  /** Posts a form the way a browser on this site would (same Origin). */
  post(path: string, form: Record<string, string> | URLSearchParams | FormData, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has("Origin")) headers.set("Origin", this.origin);
    const body = form instanceof URLSearchParams || form instanceof FormData ? form : new URLSearchParams(form);
    return this.request(path, { ...init, method: "POST", headers, body });
  }

  async login(email: string, password: string): Promise<Response> {
    const response = await this.post("/login", { email, password });
    if (response.status !== 302) throw new Error(`login as ${email} failed with ${response.status}`);
    return response;
  }

  clearCookies() {
    this.cookies.clear();
  }
}
