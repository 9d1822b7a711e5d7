// e-RS Helper on Azure: Azure Bot (Teams channel) -> App Service (Linux, Node 20) -> Blob Storage for state.
// Deployed by m365agents.yml (arm/deploy) or by hand:
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json -p msaAppPassword=<secret>

@description('Short lower-case name that every resource name starts with.')
@minLength(3)
@maxLength(20)
param resourceBaseName string

@description('Region for the App Service and the storage account. The bot registration itself is global.')
param location string = resourceGroup().location

@description('Name shown for the bot in Azure and Teams.')
param botDisplayName string = 'e-RS Helper'

@description('Azure Bot pricing tier: F0 (free, standard channels only) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('App Service plan tier. Basic or above keeps the app warm (Always On) for proactive announcements.')
@allowed([
  'B1'
  'B2'
  'S1'
  'P0v3'
  'P1v3'
])
param appServicePlanSku string = 'B1'

@description('Client (application) id of the bot\'s Microsoft Entra app registration.')
param msaAppId string

@description('Tenant id of that app registration (single-tenant bot).')
param msaAppTenantId string

@description('Client secret of that app registration.')
@secure()
param msaAppPassword string

@description('Blob container holding conversation state, claims and retained records.')
param blobContainerName string = 'ers-helper'

@description('Public https address of the bot; empty means the App Service default host name.')
param publicBaseUrl string = ''

@description('Key for the announcements API; empty turns the API off. At least 24 characters when set.')
@secure()
param announceApiKey string = ''

@description('Comma-separated Microsoft Entra object ids of people allowed to send announcements.')
param announcers string = ''

@description('Comma-separated tenant ids allowed to talk to the bot; empty means the bot\'s own tenant only.')
param allowedTenants string = ''

@description('pino log level.')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

@description('Days that unanswered questions and feedback are kept.')
@minValue(1)
@maxValue(3650)
param retentionDays int = 90

var webAppName = '${resourceBaseName}-app'
var planName = '${resourceBaseName}-plan'
var botName = resourceBaseName
// Storage account names: 3-24 lower-case letters and digits, unique across Azure.
var storageAccountName = take('${toLower(replace(resourceBaseName, '-', ''))}${uniqueString(resourceGroup().id)}', 24)
var appBaseUrl = empty(publicBaseUrl) ? 'https://${webAppName}.azurewebsites.net' : publicBaseUrl

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The bot authenticates with the account key in BLOB_CONNECTION_STRING.
    allowSharedKeyAccess: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' = {
  parent: storageAccount
  name: 'default'
  properties: {
    // A deleted or overwritten state blob can be recovered for a week.
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {
  parent: blobService
  name: blobContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: planName
  location: location
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    // Required for a Linux plan.
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node dist/bot/index.js'
      healthCheckPath: '/healthz'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        {
          name: 'MicrosoftAppId'
          value: msaAppId
        }
        {
          name: 'MicrosoftAppTenantId'
          value: msaAppTenantId
        }
        {
          name: 'MicrosoftAppType'
          value: 'SingleTenant'
        }
        {
          name: 'MicrosoftAppPassword'
          value: msaAppPassword
        }
        {
          name: 'STORAGE_KIND'
          value: 'blob'
        }
        {
          name: 'BLOB_CONNECTION_STRING'
          value: 'DefaultEndpointsProtocol=https;AccountName=${storageAccount.name};AccountKey=${storageAccount.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
        }
        {
          name: 'BLOB_CONTAINER'
          value: stateContainer.name
        }
        {
          name: 'PUBLIC_BASE_URL'
          value: appBaseUrl
        }
        {
          name: 'ANNOUNCE_API_KEY'
          value: announceApiKey
        }
        {
          name: 'ANNOUNCERS'
          value: announcers
        }
        {
          name: 'ALLOWED_TENANTS'
          value: empty(allowedTenants) ? msaAppTenantId : allowedTenants
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        {
          name: 'RETENTION_DAYS'
          value: string(retentionDays)
        }
        {
          // App Service's front end is a proxy: rate limits count the client in X-Forwarded-For.
          name: 'TRUST_PROXY'
          value: 'true'
        }
        {
          name: 'NODE_ENV'
          value: 'production'
        }
        {
          name: 'WEBSITE_NODE_DEFAULT_VERSION'
          value: '~20'
        }
        {
          // The package is built before zip deploy (m365agents.yml), so Oryx must not rebuild it.
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
      ]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: msaAppId
    msaAppTenantId: msaAppTenantId
    msaAppType: 'SingleTenant'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Read by m365agents.yml: arm/deploy turns each output into an environment variable of the same name.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output PUBLIC_BASE_URL string = appBaseUrl
output STORAGE_ACCOUNT_NAME string = storageAccount.name
