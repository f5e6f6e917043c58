// The task pane's static files (taskpane.html, its bundle, help and icons), served over https by a Free Static Web App.
param name string
param location string
param tags object

resource site 'Microsoft.Web/staticSites@2023-12-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'taskpane' })
  sku: {
    name: 'Free'
    tier: 'Free'
  }
  properties: {}
}

// The pane's origin: the production manifest's base URL and the only origin the API answers CORS for.
output origin string = 'https://${site.properties.defaultHostname}'
