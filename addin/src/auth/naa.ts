// Sign-in for Azure: MSAL nested app authentication inside Office, as a TokenProvider. Only the task-pane entry imports it.
import {
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type AccountInfo,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import type { TokenProvider } from '../../flows/apiClient';
import type { AzureSettings } from '../settings';

export async function createNaaTokenProvider(settings: AzureSettings): Promise<TokenProvider> {
  if (settings.clientId === '' || settings.apiScope === '')
    throw new Error('Azure sign-in needs the add-in client ID and the API scope (Settings).');
  const pca: IPublicClientApplication = await createNestablePublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority },
  });
  let account: AccountInfo | null = pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null;
  const scopes = [settings.apiScope];
  const provider: TokenProvider = {
    async getToken() {
      try {
        const res = await pca.acquireTokenSilent({ scopes, ...(account !== null ? { account } : {}) });
        account = res.account;
        return res.accessToken;
      } catch (e) {
        // Office's own account usually answers silently; only consent or MFA need the popup.
        if (!(e instanceof InteractionRequiredAuthError) && account !== null) throw e;
        const res = await pca.acquireTokenPopup({ scopes });
        account = res.account;
        return res.accessToken;
      }
    },
    user: () => account?.username,
  };
  await provider.getToken();
  return provider;
}
