import { describe, expect, it } from "vitest";
import { ssoProvider } from "@/lib/auth/sso";

describe("government SSO configuration", () => {
  it("is off unless issuer, client id and secret are all set", () => {
    expect(ssoProvider({ OIDC_NAME: "x" })).toBeNull();
    expect(ssoProvider({ OIDC_ISSUER: "https://sso.example.gov.cn", OIDC_CLIENT_ID: "app", OIDC_NAME: "x" })).toBeNull();
  });
  it("configures an OIDC provider with PKCE, state and nonce checks", () => {
    const provider = ssoProvider({ OIDC_ISSUER: "https://sso.example.gov.cn/realms/gz", OIDC_CLIENT_ID: "zunyi", OIDC_CLIENT_SECRET: "s", OIDC_NAME: "政务统一身份认证" });
    expect(provider).toMatchObject({ id: "gov-sso", type: "oidc", issuer: "https://sso.example.gov.cn/realms/gz", clientId: "zunyi", checks: ["pkce", "state", "nonce"] });
  });
});
