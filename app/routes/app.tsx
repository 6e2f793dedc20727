import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { config } from "../config.server";
import { authenticate } from "../shopify.server";
import { PageSkeleton } from "../components/PageSkeleton";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// Every /app page is authenticated here first (session token from App Bridge).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  // APP_BRIDGE_URL: where App Bridge's script is loaded from. Unset in
  // production (Shopify's CDN); the browser tests point it at a local stand-in.
  const { shopify, appBridgeUrl } = config();
  return { apiKey: shopify.apiKey || "", appBridgeUrl: appBridgeUrl || null };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Dashboard
        </Link>
        <Link to="/app/orders">Orders</Link>
        <Link to="/app/certificates">Certificates</Link>
        <Link to="/app/stock">Stock</Link>
        <Link to="/app/shipments">Shipments</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      {/* The one main landmark of every page (Polaris' Page renders none inside an embedded app). */}
      <main>
        <OutletOrSkeleton />
      </main>
    </AppProvider>
  );
}

// While another page's data loads, show its skeleton instead of the old page
// (filtering within the same page keeps the page and shows its own spinner).
function OutletOrSkeleton() {
  const navigation = useNavigation();
  const location = useLocation();
  const leaving = navigation.state === "loading" && navigation.location.pathname !== location.pathname && !navigation.formMethod;
  return leaving ? <PageSkeleton /> : <Outlet />;
}

// Shopify needs Remix to catch some thrown responses, so that their headers
// are included in the response (App Bridge re-authentication).
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
