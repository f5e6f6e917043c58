// The API: a Flex Consumption Function App (Node 20) running as the user-assigned identity, with the app settings
// functions/src/config.ts reads in azure mode. tests/functions/deploy/infra.test.ts keeps the two in step.
param name string
param planName string
param location string
param tags object
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param identityId string
param identityClientId string
param tenantId string
param apiAppId string
param taskpaneOrigin string
param defaultCurrency string
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Read by functions/src/config.ts. Entra issues v2 tokens (requestedAccessTokenVersion 2, set by the hook) but the
// v1 issuer and the api:// audience are accepted too, so a registration left at v1 still works.
var ledgerdeskSettings = {
  LEDGERDESK_MODE: 'azure'
  LEDGERDESK_STORAGE_ACCOUNT: storage.name
  LEDGERDESK_STORAGE_CLIENT_ID: identityClientId
  AUTH_ISSUER: 'https://login.microsoftonline.com/${tenantId}/v2.0,https://sts.windows.net/${tenantId}/'
  AUTH_AUDIENCE: '${apiAppId},api://${apiAppId}'
  AUTH_JWKS_URL: 'https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys'
  LEDGERDESK_CORS_ORIGIN: taskpaneOrigin
  LEDGERDESK_DEFAULT_CURRENCY: defaultCurrency
}

// Read by the Functions host and its Application Insights integration, not by the app: the host's storage through
// the identity (no connection string) and telemetry authenticated with the identity (local auth is off).
var hostSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource api 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // No platform CORS: the API answers preflight itself (functions/src/http/route.ts) for LEDGERDESK_CORS_ORIGIN;
    // platform CORS would answer OPTIONS before the app sees it.
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: '20'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union(hostSettings, ledgerdeskSettings)
  }
}

output name string = api.name
output apiBaseUrl string = 'https://${api.properties.defaultHostName}/api'
