// The page's name as its one h1, for screen readers and the document outline,
// without showing it twice: in Shopify's admin the name is shown by App
// Bridge's title bar above the app (<TitleBar title>), so the Polaris Page
// gets no visible title (Shopify's app template does the same).
import { Text } from "@shopify/polaris";

export function PageHeading({ children }: { children: string }) {
  return (
    <Text as="h1" variant="headingLg" visuallyHidden>
      {children}
    </Text>
  );
}
