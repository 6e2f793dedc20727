import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { login } from "../../shopify.server";

// Public landing page outside the admin. Opening the app from the Shopify
// admin sends ?shop=…, which goes straight to the embedded app.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return { showForm: Boolean(login) };
};

export default function Index() {
  const { showForm } = useLoaderData<typeof loader>();
  return (
    <main style={{ fontFamily: "Inter, system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>ERP Order Sync</h1>
      <p>Sends every Shopify order to your ERP exactly once, and tells your team in plain words when one needs attention.</p>
      {showForm && (
        <Form method="post" action="/auth/login">
          <label>
            <span>Shop domain</span>{" "}
            <input type="text" name="shop" placeholder="my-shop-domain.myshopify.com" />
          </label>{" "}
          <button type="submit">Log in</button>
        </Form>
      )}
    </main>
  );
}
