local adminTokenSecret = 'admin-token';
{
  gel: { adminTokenSecret: adminTokenSecret },
}
