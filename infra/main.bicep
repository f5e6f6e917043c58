// Ledgerdesk on Azure (azd up): Flex Consumption Function App with a user-assigned identity, keyless Storage (tables,
// blobs, the deployment container), Application Insights, and a Static Web App serving the task pane.
// Structure after Azure-Samples/functions-quickstart-typescript-azd. No secret anywhere: every connection is an identity.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Region of the Function App, Storage and monitoring (one that offers Flex Consumption).')
@allowed([
  'australiaeast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'westcentralus'
  'westeurope'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Region of the Static Web App serving the task pane (Static Web Apps run in fewer regions).')
@allowed([
  'centralus'
  'eastasia'
  'eastus2'
  'westeurope'
  'westus2'
])
param taskpaneLocation string = 'westeurope'

@description('Application (client) ID of the API app registration; the preprovision hook (deploy/entra.ts) creates it and sets API_APP_ID.')
@minLength(36)
param apiAppId string

@description('ISO 4217 currency of amounts that name none (LEDGERDESK_DEFAULT_CURRENCY).')
param defaultCurrency string = 'EUR'

@description('Object ID of the person deploying; gets table and blob data access for the maintenance scripts. Empty: none.')
param principalId string = ''

param resourceGroupName string = ''

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}ledgerdesk-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// The identity the Function App runs as: the host's own storage, the app's tables and blobs, telemetry.
module identity './app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage './app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring './app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module taskpane './app/taskpane.bicep' = {
  name: 'taskpane'
  scope: rg
  params: {
    name: '${abbrs.webStaticSites}ledgerdesk-${resourceToken}'
    location: taskpaneLocation
    tags: tags
  }
}

module api './app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    tenantId: tenant().tenantId
    apiAppId: apiAppId
    taskpaneOrigin: taskpane.outputs.origin
    defaultCurrency: defaultCurrency
  }
}

module rbac './app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

// azd stores these in the environment; the hooks and `npm run package` read them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output AZURE_STORAGE_ACCOUNT string = storage.outputs.name
output API_BASE_URL string = api.outputs.apiBaseUrl
output ADDIN_BASE_URL string = taskpane.outputs.origin
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
