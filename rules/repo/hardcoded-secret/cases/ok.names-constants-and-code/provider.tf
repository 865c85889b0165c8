provider "kubernetes" {
  host                   = data.azurerm_kubernetes_cluster.this.kube_config[0].host
  password               = data.azurerm_kubernetes_cluster.this.kube_config[0].password
  client_key             = base64decode(data.azurerm_kubernetes_cluster.this.kube_config[0].client_key)
}
