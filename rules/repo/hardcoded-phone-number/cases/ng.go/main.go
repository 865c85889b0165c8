package main

import "fmt"

func main() {
	recipient := "+447911123456"
	fmt.Println(recipient)
}
