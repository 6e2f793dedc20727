// Settings card "ERP connection": which ERP, and its fields as the connector
// describes them (describe().fields; secrets masked, never sent back to the
// browser), with "Test connection" against the SAVED settings.
import { Banner, Button, Card, FormLayout, InlineStack, Layout, Select, Text, TextField } from "@shopify/polaris";
import { isVisible, type FormSectionProps, type SettingsData } from "./settings-form";

interface ConnectorCardProps extends FormSectionProps {
  settings: SettingsData["settings"];
  /** The "no ERP" value (from the server module, which the browser cannot import). */
  noConnector: string;
  dirty: boolean;
  testing: boolean;
  testResult: { ok: boolean; message: string } | null;
  onTest(): void;
}

export function ConnectorCard({ form, setForm, error, settings, noConnector, dirty, testing, testResult, onTest }: ConnectorCardProps) {
  const description = settings.availableConnectors.find((c) => c.type === form.connectorType) ?? null;
  const fields = description?.fields ?? [];
  const secretInfo = form.connectorType === settings.connectorType ? settings.secrets : {};
  const setValue = (key: string, value: string) => setForm((f) => ({ ...f, values: { ...f.values, [key]: value } }));

  return (
    <Layout.AnnotatedSection
      id="erp"
      title="ERP connection"
      description="Where orders are sent. Passwords and keys are stored encrypted and never shown again."
    >
      <Card>
        <FormLayout>
          <Select
            label="ERP"
            options={[{ label: "No ERP yet", value: noConnector }, ...settings.availableConnectors.map((c) => ({ label: c.name, value: c.type }))]}
            value={form.connectorType}
            onChange={(v) => setForm((f) => ({ ...f, connectorType: v }))}
            error={error("connector.connectorType")}
            helpText={description?.description}
          />
          {settings.secretsProblem ? <Banner tone="warning">{settings.secretsProblem}</Banner> : null}
          {fields
            .filter((field) => isVisible(field, form.values))
            .map((field) =>
              field.type === "select" ? (
                <Select
                  key={field.key}
                  label={field.label}
                  options={field.options ?? []}
                  value={form.values[field.key] ?? field.defaultValue ?? ""}
                  onChange={(v) => setValue(field.key, v)}
                  helpText={field.helpText}
                  error={error(`connector.${field.key}`)}
                />
              ) : (
                <TextField
                  key={field.key}
                  label={field.label}
                  type={field.secret ? "password" : field.type === "number" ? "number" : field.type === "url" ? "url" : "text"}
                  value={form.values[field.key] ?? ""}
                  onChange={(v) => setValue(field.key, v)}
                  placeholder={field.secret && secretInfo[field.key]?.isSet ? "Saved: leave empty to keep it" : field.defaultValue}
                  helpText={field.helpText}
                  requiredIndicator={field.required}
                  error={error(`connector.${field.key}`)}
                  autoComplete={field.secret ? "new-password" : "off"}
                />
              ),
            )}
          <InlineStack gap="300" blockAlign="center">
            <Button onClick={onTest} loading={testing} disabled={settings.connectorType === noConnector}>
              Test connection
            </Button>
            <Text as="span" tone="subdued" variant="bodySm">
              Tests the saved settings{dirty ? ": save your changes first" : ""}.
            </Text>
          </InlineStack>
          {testResult ? (
            <Banner tone={testResult.ok ? "success" : "critical"} title={testResult.ok ? "Connection works" : "Connection failed"}>
              <Text as="p">{testResult.message}</Text>
            </Banner>
          ) : null}
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
