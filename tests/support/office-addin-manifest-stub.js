// Stand-in for office-addin-manifest under jest: office-addin-mock imports it but never calls it in our tests.
module.exports = {};
