// Error states for the /app pages. A 404 says plainly that the order is not
// there; responses the Shopify library throws (re-authentication) go to its
// own boundary so App Bridge can act on their headers; anything else is a
// banner with what to do next, never a stack trace.
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { Banner, Button, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { NO_RESULTS_IMAGE } from "./illustration";

export function RouteError({ title, backUrl }: { title: string; backUrl?: string }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title={title} backAction={backUrl ? { content: "Back", url: backUrl } : undefined}>
        <EmptyState heading="Not found" image={NO_RESULTS_IMAGE} action={backUrl ? { content: "Back to the list", url: backUrl } : undefined}>
          <p>This page does not exist in this shop. It may have been removed when the sync log was cleaned up.</p>
        </EmptyState>
      </Page>
    );
  }
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return (
    <Page title={title}>
      <Layout>
        <Layout.Section>
          <Banner tone="critical" title="This page could not be loaded">
            <Text as="p">Something went wrong on our side. Reload the page; if it keeps happening, contact the app's support.</Text>
            <div style={{ marginTop: 8 }}>
              <Button onClick={() => window.location.reload()}>Reload</Button>
            </div>
          </Banner>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
