// One Storage account for everything: the app's tables and report blobs, the Functions host's own blobs, and the
// container Flex Consumption deploys the package from. Shared keys are off: only Entra identities get in.
param name string
param location string
param tags object
param deploymentContainerName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false // no account keys, so none to leak or rotate
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
    }
  }
  // Tables and the reports container are created by the app on first use (functions/src/store/client.ts).
}

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
